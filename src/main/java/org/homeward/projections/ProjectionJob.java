package org.homeward.projections;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.homeward.audit.AuditTrail;
import org.homeward.cases.CaseFile;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.index.EmbeddingKind;
import org.homeward.faces.index.FaceIndex;
import org.homeward.faces.pipeline.FaceRegion;
import org.homeward.models.Landmarks;
import org.homeward.models.ModelUnavailable;
import org.homeward.photos.PhotoConfig;
import org.homeward.photos.PhotoPixels;
import org.homeward.photos.PhotoRejected;
import org.homeward.photos.PhotoStore;
import org.homeward.projections.ageing.AgeProjector;
import org.homeward.projections.ageing.Resemblance;
import org.homeward.worker.Job;
import org.homeward.worker.JobHandler;
import org.homeward.worker.JobOutcome;
import org.homeward.worker.JobQueue;
import org.homeward.worker.SingleJobHandler;

/**
 * The worker's job for a case (subject: the case id): brings the projections of its searchable child faces in
 * line with their plans. Missing projections are drawn, embedded and indexed under every model id the source
 * face's original is stored under (kind 'projection', showing the target age); projections no plan wants any
 * more are removed; a face that cannot be projected gets its reason. Where the case has relatives' adult photos,
 * the adult end's images are steered by them, while the vectors searched stay those of the projection without
 * them (docs/projections.md, "Family resemblance": steering does not bring the real adult face nearer, and a
 * relative who looks unlike the child pulls the projection towards the relative). Running it twice changes nothing.
 */
@ApplicationScoped
public class ProjectionJob implements SingleJobHandler {

    public static final String KIND = "project-faces";

    @Inject
    ProjectionModels projectionModels;

    @Inject
    ProjectionsConfig config;

    @Inject
    ModelBundle bundle;

    @Inject
    FaceIndex index;

    @Inject
    PhotoStore photos;

    @Inject
    PhotoConfig photoConfig;

    @Inject
    ProjectionStore store;

    @Inject
    AuditTrail audit;

    @Inject
    EntityManager em;

    @Inject
    JobQueue queue;

    /** One face's new projections, drawn outside any transaction. */
    record Drawn(double targetAge, String ageGroup, String imageSha256, String steeredBy, Map<String, float[]> vectors) {
    }

    /** What the job made for one face: the source crop and the new projections. */
    record FaceResult(CaseFaces.Item item, String sourceSha256, List<Drawn> drawn) {
    }

    @Override
    public boolean background() {
        return true;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public JobOutcome runOne(Job job) {
        long caseId = job.subjectId();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        ProjectionPlan.Rules rules = ProjectionPlan.Rules.of(config);
        CaseFaces faces = QuarkusTransaction.requiringNew().call(() -> CaseFaces.load(caseId, today, rules, this::computable));
        if (faces == null) {
            return new JobOutcome.Done(() -> { });
        }
        AgeProjector projector;
        try {
            projector = projectionModels.projector();
        } catch (ModelUnavailable e) {
            return new JobOutcome.Failed(e.getMessage(), true);
        }
        List<FaceResult> results = new ArrayList<>();
        Function<Double, String> steering = t -> faces.steeringFor(t, projector.takesResemblance());
        Resemblance resemblance = null;
        try {
            for (CaseFaces.Item item : faces.items()) {
                List<Double> missing = item.plan().projected() ? item.missing(projector.model().key(), steering) : List.of();
                boolean sourceLost = item.plan().projected() && !item.hasStatus(); // the face as photographed, kept in the status
                if (missing.isEmpty() && !sourceLost) {
                    results.add(new FaceResult(item, null, List.of()));
                    continue;
                }
                FaceOnPhoto face = read(item.photoSha256(), item.landmarks());
                if (resemblance == null && missing.stream().anyMatch(t -> steering.apply(t) != null)) {
                    resemblance = resemblance(faces); // read once per job, and only when a projection is steered
                }
                results.add(missing.isEmpty()
                        ? new FaceResult(item, store.store(png(projector.sourceFrame(face.image(), face.landmarks()))), List.of())
                        : draw(projector, item, face, missing, List.copyOf(item.originalModels()),
                                resemblance == null ? Resemblance.NONE : resemblance, steering));
            }
        } catch (PhotoRejected e) {
            return new JobOutcome.Failed("a photo of the case cannot be read: " + e.getMessage(), false);
        } catch (UncheckedIOException e) {
            return new JobOutcome.Failed("a photo of the case is missing from the store", false);
        }
        return new JobOutcome.Done(() -> save(caseId, projector, results));
    }

    /** The face's pixels and its landmarks on them. */
    private record FaceOnPhoto(BufferedImage image, Landmarks landmarks) {
    }

    /**
     * The photo of a face, whole when the worker reads it whole (so projections stay as they were), else only the
     * region around the face, so a large photo is never held whole.
     */
    private FaceOnPhoto read(String photoSha256, Landmarks landmarks) {
        PhotoPixels pixels = PhotoPixels.open(photos.read(photoSha256), photoConfig.maxPixels());
        if (pixels.pixels() <= photoConfig.wholeDecodePixels()) {
            return new FaceOnPhoto(pixels.whole(), landmarks);
        }
        PhotoPixels.Sampled part = FaceRegion.readAround(pixels, landmarks);
        return new FaceOnPhoto(part.image(), FaceRegion.fromPhoto(part, landmarks));
    }

    /** The case's relatives' adult faces, read from the store. */
    private Resemblance resemblance(CaseFaces faces) {
        List<Resemblance.Relative> relatives = new ArrayList<>();
        for (CaseFaces.Relative r : faces.relatives()) {
            FaceOnPhoto face = read(r.photoSha256(), r.landmarks());
            relatives.add(new Resemblance.Relative(face.image(), face.landmarks()));
        }
        return Resemblance.of(relatives);
    }

    private FaceResult draw(AgeProjector projector, CaseFaces.Item item, FaceOnPhoto face, List<Double> targets,
            List<String> modelIds, Resemblance resemblance, Function<Double, String> steering) {
        double sourceAge = item.plan().sourceAge();
        List<AgeProjector.Rendered> rendered = projector.project(face.image(), face.landmarks(), sourceAge, targets);
        List<Double> steeredTargets = targets.stream().filter(t -> steering.apply(t) != null).toList();
        Map<Double, AgeProjector.Rendered> steered = new HashMap<>();
        if (!steeredTargets.isEmpty()) {
            projector.project(face.image(), face.landmarks(), sourceAge, steeredTargets, resemblance)
                    .forEach(r -> steered.put(r.targetAge(), r));
        }
        List<ProjectionVectors.Vectors> vectors = ProjectionVectors.embed(bundle.embedder(), rendered);
        Map<String, Function<ProjectionVectors.Vectors, float[]>> perModel = new LinkedHashMap<>();
        for (String id : modelIds) {
            projectionModels.vectorFor(id).ifPresent(f -> perModel.put(id, f));
        }
        List<Drawn> drawn = new ArrayList<>();
        for (int i = 0; i < rendered.size(); i++) {
            AgeProjector.Rendered r = rendered.get(i);
            Map<String, float[]> byModel = new LinkedHashMap<>();
            for (Map.Entry<String, Function<ProjectionVectors.Vectors, float[]>> e : perModel.entrySet()) {
                byModel.put(e.getKey(), e.getValue().apply(vectors.get(i)));
            }
            AgeProjector.Rendered shown = steered.getOrDefault(r.targetAge(), r);
            drawn.add(new Drawn(r.targetAge(), r.ageGroup(), store.store(png(shown.image())), steering.apply(r.targetAge()),
                    byModel));
        }
        String source = store.store(png(projector.sourceFrame(face.image(), face.landmarks())));
        return new FaceResult(item, source, drawn);
    }

    private boolean computable(String modelId) {
        return projectionModels.vectorFor(modelId).isPresent();
    }

    /** Replaces what is stored for the case's faces by the results; runs in the job's completing transaction. */
    void save(long caseId, AgeProjector projector, List<FaceResult> results) {
        if (CaseFile.findById(caseId) == null) {
            return;
        }
        Set<Long> current = new HashSet<>();
        int added = 0;
        for (FaceResult r : results) {
            CaseFaces.Item item = r.item();
            current.add(item.faceId());
            ProjectionPlan plan = item.plan();
            List<Projection> stored = Projection.list("faceId", item.faceId());
            for (Projection p : stored) {
                boolean wanted = plan.projected() && p.modelId.equals(projector.model().id())
                        && plan.targets().stream().anyMatch(t -> (float) t.doubleValue() == p.targetAge);
                if (!wanted) {
                    removeProjection(p);
                }
            }
            for (Drawn d : r.drawn()) {
                // drawn again for a model id added since: the row stays, the vectors are stored for every id
                Projection p = Projection.<Projection>find("faceId = ?1 and modelId = ?2 and targetAge = ?3", item.faceId(),
                        projector.model().id(), (float) d.targetAge()).firstResult();
                if (p == null) {
                    p = new Projection();
                    p.faceId = item.faceId();
                    p.caseId = caseId;
                    p.targetAge = (float) d.targetAge();
                    p.method = projector.model().method();
                    p.modelId = projector.model().id();
                    p.createdAt = Instant.now();
                    added++;
                }
                p.sourceAge = plan.sourceAge().floatValue();
                p.ageGroup = d.ageGroup();
                p.modelVersion = projector.model().version();
                p.imageSha256 = d.imageSha256();
                p.steeredBy = d.steeredBy();
                p.persist();
                for (Map.Entry<String, float[]> v : d.vectors().entrySet()) {
                    index.store(item.faceId(), v.getKey(), EmbeddingKind.PROJECTION, p.targetAge, v.getValue());
                }
            }
            if (!r.drawn().isEmpty()) {
                // vectors under a model id the face's original no longer has (a transform taken out of use)
                em.createNativeQuery("DELETE FROM embedding WHERE face_id = ?1 AND kind = 'projection' AND NOT (model_id = ANY (?2))")
                        .setParameter(1, item.faceId()).setParameter(2, item.originalModels().toArray(String[]::new)).executeUpdate();
            }
            ProjectionStatus status = ProjectionStatus.findById(item.faceId());
            if (status == null) {
                status = new ProjectionStatus();
                status.faceId = item.faceId();
            }
            status.caseId = caseId;
            status.sourceAge = plan.sourceAge() == null ? null : plan.sourceAge().floatValue();
            status.reason = plan.reason();
            if (r.sourceSha256() != null) {
                status.sourceSha256 = r.sourceSha256();
            }
            status.checkedAt = Instant.now();
            status.persist();
        }
        // faces of the case that are no longer searched (another face marked, the photo removed)
        for (Projection p : Projection.<Projection>list("caseId", caseId)) {
            if (!current.contains(p.faceId)) {
                removeProjection(p);
            }
        }
        ProjectionStatus.delete("caseId = ?1 and faceId not in ?2", caseId, current.isEmpty() ? Set.of(-1L) : current);
        audit.recordAs(JobHandler.ACTOR, "case.projections", "case_file", caseId, "faces=" + results.size() + " new=" + added
                + " model=" + projector.model().id());
        // a photo analysed while this job ran was not in its plan: run again for it
        CaseFaces now = CaseFaces.load(caseId, LocalDate.now(ZoneOffset.UTC), ProjectionPlan.Rules.of(config), this::computable);
        if (now != null && now.items().stream().anyMatch(i -> !current.contains(i.faceId()))) {
            queue.enqueue(KIND, caseId);
        }
    }

    private void removeProjection(Projection p) {
        em.createNativeQuery("DELETE FROM embedding WHERE face_id = ?1 AND kind = 'projection' AND shows_age = ?2")
                .setParameter(1, p.faceId).setParameter(2, p.targetAge).executeUpdate();
        p.delete();
    }

    static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
