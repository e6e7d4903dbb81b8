package org.homeward.faces.pipeline;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.homeward.faces.FaceVectors;
import org.homeward.faces.ModelBundle;
import org.homeward.models.AgeEstimator;
import org.homeward.models.FaceBox;
import org.homeward.models.FaceEmbedder;
import org.homeward.models.Landmarks;
import org.homeward.photos.PhotoPixels;
import org.homeward.photos.PhotoRejected;

/**
 * Photo in, faces out: detect, place landmarks, align, judge quality, embed (with the mirrored chip when
 * the transform asks for it), transform into the search vector, estimate age. The app's worker, the
 * evaluation command and the tests all call this one implementation. Chips of all the photos in a batch
 * go through the embedder together, so a GPU sees batches. Plain Java; the app gets it from
 * {@link FacePipelineProducer}.
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

    /**
     * Analyses each image; the result lists, per image, its faces, best detection first. Each usable face
     * gets its search vector too: when the bundle's transform reads flip-averaged vectors, its mirrored
     * chip is embedded in the same batch.
     */
    public List<List<FoundFace>> analyse(List<BufferedImage> images) {
        return analyse(images, false);
    }

    /**
     * As {@link #analyse(List)}; with {@code mirrors}, every usable face's mirrored chip is embedded even when the
     * transform does not need it (the evaluation's test-time flip), so its vector is in {@link FoundFace#mirrored()}.
     */
    public List<List<FoundFace>> analyse(List<BufferedImage> images, boolean mirrors) {
        return analyse(images.size(), (i, chips) -> candidates(images.get(i), chips), mirrors);
    }

    /**
     * Analyses stored photos, decoding one at a time, so a batch never holds more than one photo's pixels. A photo
     * of up to {@code wholeUpTo} pixels is decoded whole, as {@link #analyse(List)} would; a larger one is searched
     * for faces on an overview of that size, and each face's landmarks and chip are taken from its own region read
     * at full resolution, so a 50-megapixel photo never sits in memory whole. A photo whose data turns out not to
     * decode gets {@link Analysed#unreadable()}; the others are analysed all the same.
     */
    public List<Analysed> analysePhotos(List<PhotoPixels> photos, long wholeUpTo) {
        String[] unreadable = new String[photos.size()];
        List<List<FoundFace>> faces = analyse(photos.size(), (i, chips) -> {
            try {
                PhotoPixels photo = photos.get(i);
                return photo.pixels() <= wholeUpTo
                        ? candidates(timed("decode", photo::whole), chips)
                        : candidatesInParts(photo, wholeUpTo, chips);
            } catch (PhotoRejected e) {
                unreadable[i] = e.getMessage();
                return List.of();
            }
        }, false);
        List<Analysed> out = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            out.add(new Analysed(unreadable[i] == null ? faces.get(i) : List.of(), unreadable[i]));
        }
        return out;
    }

    /** A stored photo's faces, best detection first, or why its pixels could not be read. */
    public record Analysed(List<FoundFace> faces, String unreadable) {
    }

    private List<List<FoundFace>> analyse(int count, BiFunction<Integer, List<float[]>, List<Candidate>> find,
            boolean mirrors) {
        List<List<Candidate>> perImage = new ArrayList<>();
        List<float[]> chips = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            perImage.add(find.apply(i, chips));
        }
        List<FaceVectors> vectors = embed(chips, mirrors);

        List<List<FoundFace>> result = new ArrayList<>();
        for (List<Candidate> candidates : perImage) {
            result.add(candidates.stream().map(c -> found(c, vectors)).toList());
        }
        return result;
    }

    /** The faces of one image held whole; each usable chip is added to {@code chips} for the batch. */
    private List<Candidate> candidates(BufferedImage image, List<float[]> chips) {
        Framed framed = find(image);
        List<Candidate> candidates = new ArrayList<>();
        for (FaceBox box : framed.boxes) {
            Candidate c = examine(framed.image(), box, framed.how, chips);
            candidates.add(framed.crop == null ? c : new Candidate(framed.crop.toPhoto(box),
                    framed.crop.toPhoto(c.landmarks), c.verdict, c.chipIndex, c.how));
        }
        return candidates;
    }

    /**
     * The faces of a photo too large to hold whole: boxes from an overview of {@code overviewPixels}, then each face
     * examined on its region of the photo ({@link FaceRegion}). Boxes and landmarks come back in photo coordinates.
     */
    private List<Candidate> candidatesInParts(PhotoPixels photo, long overviewPixels, List<float[]> chips) {
        PhotoPixels.Sampled overview = timed("decode", () -> photo.overview(overviewPixels));
        List<FaceBox> seen = timed("detect", () -> models.detector().detect(overview.image()));
        List<Candidate> candidates = new ArrayList<>();
        for (FaceBox onOverview : seen) {
            FaceBox box = FaceRegion.toPhoto(overview, onOverview, photo.width(), photo.height());
            PhotoPixels.Sampled part = timed("decode", () -> FaceRegion.read(photo, box));
            Candidate c = examine(part.image(), FaceRegion.fromPhoto(part, box), FaceDetection.detector, chips);
            candidates.add(new Candidate(box, FaceRegion.toPhoto(part, c.landmarks), c.verdict, c.chipIndex, c.how));
        }
        return candidates;
    }

    /**
     * A face in a box a person drew ({@link FaceDetection#drawn}): the landmarks are placed in the box as in a
     * detector's, then the same quality gate, vectors and age as any face.
     */
    public FoundFace place(BufferedImage image, FaceBox box) {
        List<float[]> chips = new ArrayList<>();
        Candidate c = examine(image, box, FaceDetection.drawn, chips);
        return found(c, embed(chips, false));
    }

    /**
     * As {@link #place(BufferedImage, FaceBox)} for a stored photo: a photo over {@code wholeUpTo} pixels is read only
     * around the box ({@link FaceRegion}).
     */
    public FoundFace place(PhotoPixels photo, FaceBox box, long wholeUpTo) {
        if (photo.pixels() <= wholeUpTo) {
            return place(photo.whole(), box);
        }
        PhotoPixels.Sampled part = FaceRegion.read(photo, box);
        List<float[]> chips = new ArrayList<>();
        Candidate c = examine(part.image(), FaceRegion.fromPhoto(part, box), FaceDetection.drawn, chips);
        return found(new Candidate(box, FaceRegion.toPhoto(part, c.landmarks), c.verdict, c.chipIndex, c.how),
                embed(chips, false));
    }

    /**
     * The aligned chip of a face found earlier, from {@code whole} when the photo was decoded whole (null otherwise)
     * or from the face's region: the chip {@link #analysePhotos} made for it.
     */
    public float[] chip(PhotoPixels photo, BufferedImage whole, FaceBox box, Landmarks landmarks) {
        if (whole != null) {
            return models.embedder().chip(whole, landmarks);
        }
        PhotoPixels.Sampled part = FaceRegion.read(photo, box);
        return models.embedder().chip(part.image(), FaceRegion.fromPhoto(part, landmarks));
    }

    /** Landmarks, chip and quality of one box; a usable chip is added to {@code chips} for the batch. */
    private Candidate examine(BufferedImage on, FaceBox box, FaceDetection how, List<float[]> chips) {
        Landmarks landmarks = timed("landmarks", () -> models.landmarks().predict(on, box));
        float[] chip = timed("align", () -> models.embedder().chip(on, landmarks));
        QualityGate.Verdict verdict = quality.judge(landmarks, chip, chipSize(chip));
        int chipIndex = -1;
        if (verdict.usable()) {
            chipIndex = chips.size();
            chips.add(chip);
        }
        return new Candidate(box, landmarks, verdict, chipIndex, how);
    }

    private FoundFace found(Candidate c, List<FaceVectors> vectors) {
        FaceVectors v = c.chipIndex < 0 ? null : vectors.get(c.chipIndex);
        AgeEstimator.AgeEstimate age = v == null ? null
                : models.ageEstimator().map(a -> timed("age", () -> a.estimate(v.raw()))).orElse(null);
        return new FoundFace(c.box, c.landmarks, c.verdict, v, age, c.how);
    }

    public List<FoundFace> analyse(BufferedImage image) {
        return analyse(List.of(image)).get(0);
    }

    /**
     * The vectors of aligned chips (from {@link FaceEmbedder#chip}): raw, mirrored when the transform needs it or
     * {@code mirrors} asks, and the search vector. The chips and their mirror images go through the embedder as
     * one batch, so a GPU sees one batch. The worker's re-indexing calls this for faces found earlier.
     */
    public List<FaceVectors> embed(List<float[]> chips, boolean mirrors) {
        if (chips.isEmpty()) {
            return List.of();
        }
        boolean withMirrors = mirrors || models.mirrorPass();
        List<float[]> batch = new ArrayList<>(chips);
        if (withMirrors) {
            chips.forEach(chip -> batch.add(mirrored(chip)));
        }
        List<float[]> out = timed("embed", () -> models.embedder().embed(batch));
        List<FaceVectors> vectors = new ArrayList<>(chips.size());
        for (int i = 0; i < chips.size(); i++) {
            float[] raw = out.get(i);
            float[] mirror = withMirrors ? out.get(chips.size() + i) : null;
            vectors.add(new FaceVectors(raw, mirror, models.searchVector(raw, mirror)));
        }
        return vectors;
    }

    /** The chip [3 x size x size] mirrored left to right. */
    public static float[] mirrored(float[] chip) {
        int size = chipSize(chip);
        float[] out = new float[chip.length];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                int row = (c * size + y) * size;
                for (int x = 0; x < size; x++) {
                    out[row + x] = chip[row + size - 1 - x];
                }
            }
        }
        return out;
    }

    private static int chipSize(float[] chip) {
        return (int) Math.round(Math.sqrt(chip.length / 3.0));
    }

    private <T> T timed(String step, Supplier<T> work) {
        return timer.time(step, work);
    }

    /**
     * The detector's boxes on the photo, or, for a small photo where it finds none, its boxes on the photo framed
     * as a tight crop ({@link TightCrop}). Boxes are in the coordinates of {@link Framed#image()}. The whole photo
     * is never taken as a face: the landmarks and the quality gate accepted a coffee cup that way.
     */
    private Framed find(BufferedImage photo) {
        List<FaceBox> boxes = timed("detect", () -> models.detector().detect(photo));
        if (!boxes.isEmpty() || !TightCrop.applies(photo)) {
            return new Framed(photo, null, boxes, FaceDetection.detector);
        }
        TightCrop crop = timed("tight-crop", () -> TightCrop.frame(photo));
        List<FaceBox> framed = timed("detect", () -> models.detector().detect(crop.image()));
        return new Framed(photo, crop, framed, FaceDetection.padded);
    }

    private record Framed(BufferedImage photo, TightCrop crop, List<FaceBox> boxes, FaceDetection how) {

        BufferedImage image() {
            return crop == null ? photo : crop.image();
        }
    }

    private record Candidate(FaceBox box, Landmarks landmarks, QualityGate.Verdict verdict, int chipIndex,
            FaceDetection how) {
    }
}
