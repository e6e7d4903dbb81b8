package org.homeward.retention;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.homeward.audit.AuditTrail;
import org.homeward.photos.PhotoSweep;
import org.homeward.worker.Periodic;
import org.homeward.worker.WorkerConfig;
import org.jboss.logging.Logger;

/**
 * Applies the retention rules ({@link RetentionConfig}) once a day in processes that run jobs: a case closed or
 * found longer ago than its period lets go of its photos and loses its projections; a sighting older than its period
 * whose candidates led nowhere lets go of its photos. Each release is audited with the rule that made it, and each
 * photo nothing else holds is then removed with its faces, vectors and file ({@link PhotoSweep#removeReleased}). The
 * case and sighting records, their verdicts and the audit trail stay.
 */
@ApplicationScoped
public class RetentionSweep {

    private static final Logger LOG = Logger.getLogger(RetentionSweep.class);
    static final String ACTOR = "system:retention";

    @Inject
    RetentionConfig config;

    @Inject
    WorkerConfig worker;

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    @Inject
    PhotoSweep photos;

    private Periodic timer;

    /** What one run released: cases and sightings, and the photos removed with them. */
    public record Released(int cases, int sightings, int photosRemoved) {
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled() || !worker.runsJobs()) {
            return;
        }
        timer = Periodic.start("homeward-retention", config.interval(), Duration.ofMinutes(10), this::run,
                LOG);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.close();
        }
    }

    public Released run() {
        Instant caseCutoff = Instant.now().minus(config.closedCase());
        Instant sightingCutoff = Instant.now().minus(config.sightingWithoutMatch());
        int cases = 0;
        int sightings = 0;
        int removed = 0;
        for (long id : ids("""
                SELECT c.id FROM case_file c WHERE c.status IN ('closed', 'found') AND c.status_changed_at < ?1
                   AND EXISTS (SELECT 1 FROM case_photo cp WHERE cp.case_id = c.id) ORDER BY c.id""", caseCutoff)) {
            List<Long> released = QuarkusTransaction.requiringNew().call(() -> releaseCase(id, caseCutoff));
            if (!released.isEmpty()) {
                cases++;
                removed += photos.removeReleased(released, "retention of case " + id);
            }
        }
        for (long id : ids("SELECT s.id FROM sighting s WHERE s.created_at < ?1 AND " + LED_NOWHERE + " ORDER BY s.id",
                sightingCutoff)) {
            List<Long> released = QuarkusTransaction.requiringNew().call(() -> releaseSighting(id, sightingCutoff));
            if (!released.isEmpty()) {
                sightings++;
                removed += photos.removeReleased(released, "retention of sighting " + id);
            }
        }
        LOG.infof("retention: %d case(s) and %d sighting(s) let go of their photos; %d photo(s) removed", cases, sightings,
                removed);
        return new Released(cases, sightings, removed);
    }

    /** A sighting with photos, none of whose candidates was referred or judged a possible or confirmed match. */
    private static final String LED_NOWHERE = """
            EXISTS (SELECT 1 FROM sighting_photo sp WHERE sp.sighting_id = s.id)
            AND NOT EXISTS (SELECT 1 FROM candidate c WHERE c.sighting_id = s.id
                             AND (c.state IN ('provisional', 'confirmed', 'inconclusive')
                                  OR EXISTS (SELECT 1 FROM referral r WHERE r.candidate_id = c.id)))""";

    private List<Long> releaseCase(long id, Instant cutoff) {
        @SuppressWarnings("unchecked")
        List<Object[]> still = em.createNativeQuery("SELECT status, status_changed_at FROM case_file WHERE id = ?1"
                + " AND status IN ('closed', 'found') AND status_changed_at < ?2 FOR UPDATE")
                .setParameter(1, id).setParameter(2, cutoff).getResultList();
        if (still.isEmpty()) {
            return List.of(); // reopened meanwhile
        }
        List<Long> photoIds = longs(em.createNativeQuery("SELECT photo_id FROM case_photo WHERE case_id = ?1")
                .setParameter(1, id).getResultList());
        em.createNativeQuery("""
                DELETE FROM embedding WHERE kind = 'projection'
                   AND face_id IN (SELECT f.id FROM face f JOIN case_photo cp ON cp.photo_id = f.photo_id WHERE cp.case_id = ?1)""")
                .setParameter(1, id).executeUpdate();
        em.createNativeQuery("DELETE FROM projection WHERE case_id = ?1").setParameter(1, id).executeUpdate();
        em.createNativeQuery("DELETE FROM projection_status WHERE case_id = ?1").setParameter(1, id).executeUpdate();
        em.createNativeQuery("DELETE FROM case_photo WHERE case_id = ?1").setParameter(1, id).executeUpdate();
        audit.recordAs(ACTOR, "case.retention", "case_file", id, "status " + still.get(0)[0] + " since " + still.get(0)[1]
                + "; rule: a case closed or found keeps its photos, faces, vectors and projections " + config.closedCase()
                + "; photos released " + photoIds);
        return photoIds;
    }

    private List<Long> releaseSighting(long id, Instant cutoff) {
        List<?> still = em.createNativeQuery("SELECT s.id FROM sighting s WHERE s.id = ?1 AND s.created_at < ?2 AND "
                + LED_NOWHERE + " FOR UPDATE OF s").setParameter(1, id).setParameter(2, cutoff).getResultList();
        if (still.isEmpty()) {
            return List.of();
        }
        List<Long> photoIds = longs(em.createNativeQuery("SELECT photo_id FROM sighting_photo WHERE sighting_id = ?1")
                .setParameter(1, id).getResultList());
        em.createNativeQuery("DELETE FROM sighting_photo WHERE sighting_id = ?1").setParameter(1, id).executeUpdate();
        audit.recordAs(ACTOR, "sighting.retention", "sighting", id, "rule: a sighting whose candidates led nowhere keeps"
                + " its photos " + config.sightingWithoutMatch() + "; photos released " + photoIds);
        return photoIds;
    }

    private List<Long> ids(String sql, Instant cutoff) {
        return QuarkusTransaction.requiringNew().call(() -> longs(em.createNativeQuery(sql).setParameter(1, cutoff)
                .getResultList()));
    }

    private static List<Long> longs(List<?> values) {
        return values.stream().map(v -> ((Number) v).longValue()).toList();
    }
}
