package org.homeward.photos;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.homeward.audit.AuditTrail;
import org.homeward.worker.Periodic;
import org.homeward.worker.WorkerConfig;
import org.jboss.logging.Logger;

/**
 * The photo store's sweep, in processes that run jobs: removes the temporary files of writes that never finished,
 * stored files no photo row names, and photos attached to no case and no sighting once their retention has passed
 * (row, faces, vectors, jobs and file). Every removed photo is in the audit trail.
 */
@ApplicationScoped
public class PhotoSweep {

    private static final Logger LOG = Logger.getLogger(PhotoSweep.class);
    static final String ACTOR = "system:photo-sweep";
    private static final int BATCH = 500;
    /** Not attached, and nobody uploaded its bytes since the cutoff (?1): someone may be about to attach it. */
    private static final String UNATTACHED = """
            NOT EXISTS (SELECT 1 FROM case_photo cp WHERE cp.photo_id = p.id)
            AND NOT EXISTS (SELECT 1 FROM sighting_photo sp WHERE sp.photo_id = p.id)
            AND p.uploaded_at < ?1
            AND NOT EXISTS (SELECT 1 FROM photo_upload u WHERE u.photo_id = p.id AND u.uploaded_at >= ?1)""";

    @Inject
    PhotoConfig config;

    @Inject
    WorkerConfig worker;

    @Inject
    PhotoStore store;

    @Inject
    EntityManager em;

    @Inject
    @Any
    Instance<PhotoJobs> otherJobs;

    @Inject
    AuditTrail audit;

    private Periodic timer;

    /** What one sweep removed. */
    public record Swept(int temporaryFiles, int orphanFiles, int photos) {
    }

    void start(@Observes StartupEvent event) {
        if (!config.sweepEnabled()) {
            return;
        }
        // Each process receives uploads into its own folder, web replicas too, and leaves files there only when
        // it died mid-upload: clearing them at every start is enough.
        int received = ReceivedPhoto.removeOlderThan(config.receivedFolder(), config.tempMaxAge());
        if (received > 0) {
            LOG.infof("removed %d file(s) of uploads a previous run did not finish from %s", received,
                    config.receivedFolder());
        }
        if (!worker.runsJobs()) {
            return;
        }
        timer = Periodic.start("homeward-photo-sweep", config.sweepInterval(), Duration.ofMinutes(5), this::sweep,
                LOG);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.close();
        }
    }

    /** One sweep of the store and the photos; logs and returns what it removed. */
    public Swept sweep() {
        int temporary = store.removeTemporaryFiles(config.tempMaxAge())
                + ReceivedPhoto.removeOlderThan(config.receivedFolder(), config.tempMaxAge());
        int orphans = removeOrphanFiles();
        int photos = removeUnattachedPhotos();
        if (temporary + orphans > 0) {
            QuarkusTransaction.requiringNew().run(() -> audit.recordAs(ACTOR, "photo.sweep-files", "photo_store", null,
                    "temporary=" + temporary + " orphans=" + orphans + " older than " + config.tempMaxAge()));
        }
        LOG.infof("photo sweep: %d temporary file(s), %d file(s) no photo names, %d unattached photo(s) removed",
                temporary, orphans, photos);
        return new Swept(temporary, orphans, photos);
    }

    /** Stored files no photo row names (a write whose row never committed, a deletion whose file stayed). */
    private int removeOrphanFiles() {
        int[] removed = {0};
        List<String> batch = new ArrayList<>();
        store.forEachStoredOlderThan(config.tempMaxAge(), sha -> {
            batch.add(sha);
            if (batch.size() == BATCH) {
                removed[0] += removeUnnamed(batch);
                batch.clear();
            }
        });
        return removed[0] + removeUnnamed(batch);
    }

    private int removeUnnamed(List<String> shas) {
        if (shas.isEmpty()) {
            return 0;
        }
        Set<String> named = QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> found = em.createNativeQuery("SELECT sha256 FROM photo WHERE sha256 IN (?1)")
                    .setParameter(1, shas).getResultList();
            Set<String> out = new HashSet<>();
            found.forEach(s -> out.add(s.trim()));
            return out;
        });
        int removed = 0;
        for (String sha : shas) {
            // The age is checked again at deletion: an upload of the same bytes meanwhile renews the file.
            if (!named.contains(sha) && store.deleteIfOlderThan(sha, config.tempMaxAge())) {
                removed++;
            }
        }
        return removed;
    }

    private int removeUnattachedPhotos() {
        Instant cutoff = Instant.now().minus(config.unattachedRetention());
        int removed = 0;
        long after = 0;
        while (true) {
            long from = after;
            @SuppressWarnings("unchecked")
            List<Number> ids = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "SELECT p.id FROM photo p WHERE p.id > ?2 AND " + UNATTACHED + " ORDER BY p.id LIMIT " + BATCH)
                    .setParameter(1, cutoff).setParameter(2, from).getResultList());
            for (Number id : ids) {
                try {
                    if (QuarkusTransaction.requiringNew().call(() -> removeIfUnattached(id.longValue(), cutoff,
                            "retention " + config.unattachedRetention()))) {
                        removed++;
                    }
                } catch (RuntimeException e) {
                    LOG.warnf("photo sweep kept photo %d: %s", id.longValue(), e.getMessage());
                }
                after = id.longValue();
            }
            if (ids.size() < BATCH) {
                return removed;
            }
        }
    }

    /**
     * Removes at once the photos a retention rule let go of ({@code why} names it), each only if nothing else holds it
     * now: another case or sighting keeps it, and so does an upload of the same bytes in the last hour (someone may be
     * about to attach it; the regular sweep takes it later). Returns how many were removed.
     */
    public int removeReleased(List<Long> photoIds, String why) {
        Instant cutoff = Instant.now().minus(Duration.ofHours(1));
        int removed = 0;
        for (long id : photoIds) {
            try {
                if (QuarkusTransaction.requiringNew().call(() -> removeIfUnattached(id, cutoff, why))) {
                    removed++;
                }
            } catch (RuntimeException e) {
                LOG.warnf("photo %d kept after %s: %s", id, why, e.getMessage());
            }
        }
        return removed;
    }

    /**
     * Removes one photo when it is still unattached. Its row is locked first: attaching it (a case photo, a sighting
     * photo) waits for the lock, and the check after the lock sees every attachment that committed before.
     */
    private boolean removeIfUnattached(long id, Instant cutoff, String why) {
        List<?> locked = em.createNativeQuery("SELECT id FROM photo WHERE id = ?1 FOR UPDATE").setParameter(1, id)
                .getResultList();
        if (locked.isEmpty()) {
            return false;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> still = em.createNativeQuery("SELECT p.sha256, p.uploaded_by, p.uploaded_at,"
                + " (SELECT count(*) FROM face f WHERE f.photo_id = p.id) FROM photo p WHERE p.id = ?2 AND " + UNATTACHED)
                .setParameter(1, cutoff).setParameter(2, id).getResultList();
        if (still.isEmpty()) {
            return false;
        }
        Object[] row = still.get(0);
        em.createNativeQuery("DELETE FROM job WHERE kind = ?2 AND subject_id = ?1").setParameter(1, id)
                .setParameter(2, PhotoService.PROCESS_JOB).executeUpdate();
        otherJobs.forEach(jobs -> jobs.deleteFor(id));
        // Faces, vectors, drawn boxes, projections and the uploaders' records go with the row (ON DELETE CASCADE).
        em.createNativeQuery("DELETE FROM photo WHERE id = ?1").setParameter(1, id).executeUpdate();
        audit.recordAs(ACTOR, "photo.sweep", "photo", id, "attached to no case or sighting; uploaded by " + row[1]
                + " at " + row[2] + "; faces=" + row[3] + "; " + why);
        store.deleteAfterCommit(List.of(((String) row[0]).trim()));
        return true;
    }
}
