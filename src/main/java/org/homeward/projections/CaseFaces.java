package org.homeward.projections;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.homeward.cases.CaseFile;
import org.homeward.cases.CasePhoto;
import org.homeward.cases.SearchedFaces;
import org.homeward.faces.Face;
import org.homeward.faces.index.EmbeddingKind;
import org.homeward.models.Landmarks;
import org.homeward.photos.Photo;
import org.homeward.projections.ageing.Resemblance;

/**
 * A case's searchable child faces with their projection plans and what is stored for them, and its relatives' adult
 * faces that steer the adult end: what the job works from and what the daily check compares. The searched face of a
 * photo is the one a person marked, or the photo's single usable face (as the search's scope has it). Read inside a
 * transaction; the result is plain data.
 */
record CaseFaces(long caseId, List<Item> items, List<Relative> relatives) {

    /** A relative's adult face: where it is. */
    record Relative(long faceId, String photoSha256, Landmarks landmarks) {
    }

    /**
     * Which relatives steer a projection to {@code targetAge} by a projector that {@code takesResemblance}: their face
     * ids, ascending, comma-separated (as {@code projection.steered_by} stores it); null when none do.
     */
    String steeringFor(double targetAge, boolean takesResemblance) {
        if (!takesResemblance || relatives.isEmpty() || !Resemblance.reaches(targetAge)) {
            return null;
        }
        return relatives.stream().map(Relative::faceId).sorted().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * One searchable face: where it is, its plan, its stored projections (target age to id) and status, the
     * embedding model ids its original is stored under that projections can be computed for, and those its
     * projections' vectors are stored under.
     */
    record Item(long faceId, long photoId, String photoSha256, Landmarks landmarks, ProjectionPlan plan,
            Map<Float, Long> stored, Map<Float, String> storedSteering, String storedModel, boolean hasStatus,
            String storedReason, Set<String> originalModels, Set<String> projectionModels) {

        /**
         * Whether the stored projections and status differ from the plan (for the projector whose
         * {@link org.homeward.projections.ageing.AgeProjector.Model#key()} is {@code modelKey}, with
         * {@code steering} giving which relatives should have steered each target age).
         */
        boolean outOfDate(String modelKey, Function<Double, String> steering) {
            if (!hasStatus || !Objects.equals(storedReason, plan.reason())) {
                return true;
            }
            if (!plan.projected()) {
                return !stored.isEmpty();
            }
            if (!stored.isEmpty() && !modelKey.equals(storedModel)) {
                return true;
            }
            return !stored.keySet().equals(targetKeys()) || !originalModels.equals(projectionModels)
                    || plan.targets().stream().anyMatch(t -> !steeredAsPlanned(t, steering));
        }

        private boolean steeredAsPlanned(double target, Function<Double, String> steering) {
            return Objects.equals(storedSteering.get((float) target), steering.apply(target));
        }

        /**
         * The plan's targets to draw: those with no stored projection of {@code modelKey} yet or steered by other
         * relatives than {@code steering} gives, or all of them when an embedding model has been added since (a
         * re-indexed face).
         */
        List<Double> missing(String modelKey, Function<Double, String> steering) {
            boolean everyModel = originalModels.equals(projectionModels) || stored.isEmpty();
            List<Double> out = new ArrayList<>();
            for (double t : plan.targets()) {
                if (!everyModel || !modelKey.equals(storedModel) || !stored.containsKey((float) t)
                        || !steeredAsPlanned(t, steering)) {
                    out.add(t);
                }
            }
            return out;
        }

        Set<Float> targetKeys() {
            Set<Float> keys = new HashSet<>();
            plan.targets().forEach(t -> keys.add((float) t.doubleValue()));
            return keys;
        }
    }

    /**
     * The case's faces as they stand; null when the case does not exist. {@code computable} says which embedding
     * model ids a projection's vector can be made for.
     */
    static CaseFaces load(long caseId, LocalDate today, ProjectionPlan.Rules rules, Predicate<String> computable) {
        CaseFile file = CaseFile.findById(caseId);
        if (file == null) {
            return null;
        }
        List<Item> items = new ArrayList<>();
        Map<Long, Long> searched = SearchedFaces.ofCase(caseId);
        for (CasePhoto link : CasePhoto.<CasePhoto>list("caseId", caseId)) {
            Long faceId = searched.get(link.photoId);
            if (faceId == null) {
                continue;
            }
            Face face = Face.findById(faceId);
            Photo photo = Photo.findById(link.photoId);
            Landmarks landmarks = Landmarks.of(face.landmarks);
            ProjectionPlan plan = ProjectionPlan.of(new ProjectionPlan.Subject(landmarks, face.yaw, link.ageAtPhoto, link.takenOn,
                    file.birthDate, file.birthDateEarliest, file.birthDateLatest), today, rules);
            Map<Float, Long> stored = new HashMap<>();
            Map<Float, String> storedSteering = new HashMap<>();
            String storedModel = null;
            for (Projection p : Projection.<Projection>list("faceId", face.id)) {
                if (!sameAge(p.sourceAge, plan.sourceAge())) {
                    continue; // drawn from an age a person has since corrected: drawn again
                }
                stored.put(p.targetAge, p.id);
                storedSteering.put(p.targetAge, p.steeredBy);
                storedModel = p.modelId + " " + p.modelVersion;
            }
            ProjectionStatus status = ProjectionStatus.findById(face.id);
            Set<String> originals = new TreeSet<>(modelIds(face.id, EmbeddingKind.ORIGINAL));
            originals.removeIf(computable.negate());
            items.add(new Item(face.id, photo.id, photo.sha256.trim(), landmarks, plan, stored, storedSteering, storedModel,
                    status != null,
                    status == null ? null : status.reason, originals, new TreeSet<>(modelIds(face.id, EmbeddingKind.PROJECTION))));
        }
        List<Relative> relatives = new ArrayList<>();
        SearchedFaces.relativesOfCase(caseId).forEach((photoId, faceId) -> relatives.add(new Relative(faceId,
                Photo.<Photo>findById(photoId).sha256.trim(), Landmarks.of(Face.<Face>findById(faceId).landmarks))));
        relatives.sort(Comparator.comparingLong(Relative::faceId));
        return new CaseFaces(caseId, items, List.copyOf(relatives));
    }

    private static boolean sameAge(Float stored, Double planned) {
        return stored == null || planned == null || Math.abs(stored - planned) < 0.01;
    }

    @SuppressWarnings("unchecked")
    static List<String> modelIds(long faceId, EmbeddingKind kind) {
        return Face.getEntityManager().createNativeQuery("SELECT DISTINCT model_id FROM embedding WHERE face_id = ?1 AND kind = ?2")
                .setParameter(1, faceId).setParameter(2, kind.stored()).getResultList();
    }
}
