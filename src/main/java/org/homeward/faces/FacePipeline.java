package org.homeward.faces;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Photo in, faces out: detect, place landmarks, align, judge quality, embed, estimate age. The app's
 * worker, the evaluation command and the tests all call this one implementation. Chips of all the
 * photos in a batch go through the embedder together, so a GPU sees batches. Plain Java; the app gets
 * it from {@link FacePipelineProducer}.
 */
public class FacePipeline {

    /** Measures each step; the app reports to Micrometer, the benchmark to its own counters. */
    public interface StepTimer {
        <T> T time(String step, Supplier<T> work);

        StepTimer NONE = new StepTimer() {
            @Override
            public <T> T time(String step, Supplier<T> work) {
                return work.get();
            }
        };
    }

    private final ModelBundle models;
    private final QualityGate quality;
    private final StepTimer timer;

    public FacePipeline(ModelBundle models, QualityGate quality, StepTimer timer) {
        this.models = models;
        this.quality = quality;
        this.timer = timer;
    }

    public ModelBundle models() {
        return models;
    }

    /** Analyses each image; the result lists, per image, its faces, best detection first. */
    public List<List<FoundFace>> analyse(List<BufferedImage> images) {
        FaceEmbedder embedder = models.embedder();
        List<List<Candidate>> perImage = new ArrayList<>();
        List<float[]> chips = new ArrayList<>();
        for (BufferedImage image : images) {
            List<FaceBox> boxes = timed("detect", () -> models.detector().detect(image));
            List<Candidate> candidates = new ArrayList<>();
            for (FaceBox box : boxes) {
                Landmarks landmarks = timed("landmarks", () -> models.landmarks().predict(image, box));
                float[] chip = timed("align", () -> embedder.chip(image, landmarks));
                QualityGate.Verdict verdict = quality.judge(landmarks, chip, chipSize(chip));
                int chipIndex = -1;
                if (verdict.usable()) {
                    chipIndex = chips.size();
                    chips.add(chip);
                }
                candidates.add(new Candidate(box, landmarks, verdict, chipIndex));
            }
            perImage.add(candidates);
        }
        List<float[]> vectors = chips.isEmpty() ? List.of() : timed("embed", () -> embedder.embed(chips));

        List<List<FoundFace>> result = new ArrayList<>();
        for (List<Candidate> candidates : perImage) {
            List<FoundFace> faces = new ArrayList<>();
            for (Candidate c : candidates) {
                float[] vector = c.chipIndex < 0 ? null : vectors.get(c.chipIndex);
                AgeEstimator.AgeEstimate age = vector == null ? null
                        : models.ageEstimator().map(a -> timed("age", () -> a.estimate(vector))).orElse(null);
                faces.add(new FoundFace(c.box, c.landmarks, c.verdict, vector, age));
            }
            result.add(faces);
        }
        return result;
    }

    public List<FoundFace> analyse(BufferedImage image) {
        return analyse(List.of(image)).get(0);
    }

    private static int chipSize(float[] chip) {
        return (int) Math.round(Math.sqrt(chip.length / 3.0));
    }

    private <T> T timed(String step, Supplier<T> work) {
        return timer.time(step, work);
    }

    private record Candidate(FaceBox box, Landmarks landmarks, QualityGate.Verdict verdict, int chipIndex) {
    }
}
