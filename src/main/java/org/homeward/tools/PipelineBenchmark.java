package org.homeward.tools;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.FoundFace;
import org.homeward.faces.pipeline.QualityGate;
import org.homeward.models.FaceBox;
import org.homeward.models.FaceDetector;
import org.homeward.models.FaceEmbedder;
import org.homeward.models.LandmarkPredictor;
import org.homeward.models.Landmarks;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelsConfig;
import org.homeward.models.TorchRuntime;
import org.homeward.models.dlib.TiledPyramid;
import org.homeward.photos.ImageDecoder;
import org.homeward.photos.PhotoRejected;
import org.homeward.tools.bench.BenchBundle;
import org.homeward.tools.bench.BenchImages;
import org.homeward.tools.bench.Machine;
import org.homeward.tools.bench.ModelForward;
import org.homeward.tools.bench.Series;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench pipeline}: faces per second for detection, embedding and the whole pipeline at batch 1 and
 * batch 8, each set against the time of the model's forward pass alone (the same TorchScript file loaded a
 * second time and run on an input built beforehand). The ratio whole pipeline / model forwards is the overhead
 * to drive toward 1.0. Prints a table, then the figures as one JSON line. See docs/performance.md.
 */
@Command(name = "pipeline", description = "faces/s of detection, embedding and the whole pipeline against the model"
        + " forward alone")
public final class PipelineBenchmark implements Callable<Integer> {

    /** The app's default (homeward.photos.max-pixels). */
    private static final long MAX_PIXELS = 50_000_000L;
    /** The app's default (homeward.models.detector-max-side). */
    private static final int DETECTOR_MAX_SIDE = 2000;
    private static final int[] BATCHES = {1, 8};
    /** Untimed rounds of the Java steps (pyramid, landmarks, chip, quality) before measuring. */
    private static final int JAVA_WARMUP_ROUNDS = 30;

    @Option(names = "--images", paramLabel = "DIR_OR_CSV", description = "the photos: a folder, or a CSV list"
            + " (default: FG-NET dev under --data)")
    private String images;
    @Option(names = "--data", paramLabel = "DIR", description = "the research data (default: -Dhomeward.data, else ../shared/data)")
    private String data;
    @Mixin
    private ModelsOption models;
    @Option(names = "--count", paramLabel = "N", description = "photos to time")
    private int count = 40;
    @Option(names = "--warmup", paramLabel = "W", description = "photos run untimed first")
    private int warmup = 3;
    @Option(names = "--threads", paramLabel = "T", description = "PyTorch's threads (default: its own choice)")
    private Integer threads;
    @Option(names = "--device", paramLabel = "DEVICE", description = "${COMPLETION-CANDIDATES}")
    private ModelsConfig.Device device = ModelsConfig.Device.cpu;
    @Spec
    private CommandSpec spec;

    /** Adds up the pipeline's own steps (detect, landmarks, align, embed, age) for one run of it. */
    private static final class Steps implements FacePipeline.StepTimer {
        final Map<String, Long> nanos = new LinkedHashMap<>();

        @Override
        public <T> T time(String step, Supplier<T> work) {
            long t = System.nanoTime();
            try {
                return work.get();
            } finally {
                nanos.merge(step, System.nanoTime() - t, Long::sum);
            }
        }
    }

    /** The detector's pyramid settings, read from its manifest as MmodFaceDetector reads them. */
    private record PyramidSettings(int padding, int outerPadding, float[] background) {
        static PyramidSettings of(JsonNode manifest) {
            JsonNode mean = manifest.path("input").path("normalisation").path("mean");
            JsonNode pyramid = manifest.path("detection").path("pyramid");
            return new PyramidSettings(pyramid.path("padding").asInt(10), pyramid.path("outer_padding").asInt(11),
                    new float[] {(float) mean.get(0).asDouble(), (float) mean.get(1).asDouble(),
                        (float) mean.get(2).asDouble()});
        }

        TiledPyramid build(BufferedImage rgb) {
            return TiledPyramid.build(rgb, padding, outerPadding, background);
        }
    }

    private final List<String> notes = new ArrayList<>();
    private final Map<String, Series> series = new LinkedHashMap<>();

    private Series series(String key, String stage, String what, int batch, String unit) {
        return series.computeIfAbsent(key + "@" + batch, k -> new Series(stage, what, batch, unit));
    }

    private static void progress(String text) {
        System.err.println("[bench] " + text);
    }

    @Override
    public Integer call() throws Exception {
        Main.within("--count", count, 1, Integer.MAX_VALUE);
        Main.within("--warmup", warmup, 0, Integer.MAX_VALUE);
        long benchStart = System.nanoTime();
        String loadStart = Machine.loadAverage();
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(Main.within("--threads", threads, 1,
                    Integer.MAX_VALUE)));
        }
        Photos photos = readPhotos();
        Loaded models = loadModels(this.models.dir());
        try (ModelForward detectorForward = ModelForward.load(models.detectorPkg().file("model.pt"), device);
                ModelForward embedderForward = ModelForward.load(models.embedderPkg().file("model.pt"), device)) {
            Forwards forwards = new Forwards(detectorForward, embedderForward);
            printMachine(models.machine(), loadStart);
            warmUp(warmup, photos.images(), models, forwards);
            Detection detection = measureDetection(photos.images(), models, forwards);
            List<float[]> chips = measurePerFace(photos.images(), detection.boxes(), models);
            measureEmbedding(chips, models, forwards);
            Map<Integer, PipelineRun> runs = measurePipeline(photos, models, forwards);
            report(photos, models, detection, chips.size(), runs, loadStart, benchStart);
        } finally {
            models.bundle().close();
        }
        return 0;
    }

    /** The photos: bytes read up front (storage is not measured), decoded once untimed, then on the clock. */
    private record Photos(BenchImages.Selection selection, List<byte[]> bytes, List<BufferedImage> images,
            double megapixels) {
    }

    /** The pipeline's bundle and models, with what the forward-only timings need beside them. */
    private record Loaded(BenchBundle bundle, FaceDetector detector, LandmarkPredictor landmarks, FaceEmbedder embedder,
            ModelPackage detectorPkg, ModelPackage embedderPkg, PyramidSettings pyramids, int chipSize, QualityGate gate,
            Map<String, Object> machine, Map<String, Object> loadSeconds) {
    }

    /** The two TorchScript files loaded again, for forward-only timing. */
    private record Forwards(ModelForward detector, ModelForward embedder) {
    }

    /** Each photo's boxes, and the sizes of the detector's pyramids. */
    private record Detection(List<List<FaceBox>> boxes, long pyramidFloats, long pyramidPixels, long imagePixels) {
    }

    private Photos readPhotos() throws IOException {
        BenchImages.Selection selection = BenchImages.select(images, BenchImages.dataDir(data), count);
        System.out.println("photos: " + selection.files().size() + " from " + selection.source()
                + " (" + selection.available() + " available"
                + (selection.available() >= selection.files().size() ? ", spread evenly)" : ")"));
        if (selection.note() != null) {
            System.out.println("note: " + selection.note());
            notes.add(selection.note());
        }
        // decoded once untimed (which also warms the decoder), then a second time on the clock
        List<byte[]> bytes = new ArrayList<>();
        List<BufferedImage> images = new ArrayList<>();
        for (Path file : selection.files()) {
            byte[] b = Files.readAllBytes(file);
            try {
                images.add(ImageDecoder.decode(b, MAX_PIXELS).rgb());
                bytes.add(b);
            } catch (PhotoRejected e) {
                notes.add("skipped " + file + ": " + e.getMessage());
            }
        }
        Series decode = series("decode", "decode", "ImageDecoder.decode: bytes to upright RGB", 1, "photo");
        for (byte[] b : bytes) {
            long t = System.nanoTime();
            ImageDecoder.decode(b, MAX_PIXELS);
            decode.add(System.nanoTime() - t, 1);
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("none of the photos could be decoded");
        }
        double megapixels = images.stream().mapToDouble(i -> (double) i.getWidth() * i.getHeight()).average().orElse(0) / 1e6;
        return new Photos(selection, bytes, images, megapixels);
    }

    private Loaded loadModels(Path modelsDir) throws IOException {
        progress("loading models from " + modelsDir + " on " + device);
        Map<String, Object> loadSeconds = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Engine engine = TorchRuntime.engine();
        loadSeconds.put("engine", seconds(System.nanoTime() - t0));
        // Figures of models that do not give their known answers here would measure the wrong computation.
        String runtime = ModelBundle.requireSelfTest(modelsDir, device).runtime();
        System.out.println("self-test: passed on " + runtime);
        BenchBundle bundle = new BenchBundle(modelsDir, device, DETECTOR_MAX_SIDE);
        FaceDetector detector = timedLoad(loadSeconds, "detector", bundle::detector);
        LandmarkPredictor landmarks = timedLoad(loadSeconds, "landmarks", bundle::landmarks);
        FaceEmbedder embedder = timedLoad(loadSeconds, "embedder", bundle::embedder);
        timedLoad(loadSeconds, "age_estimator", bundle::ageEstimator);
        if (bundle.ageNote() != null) {
            System.out.println("note: " + bundle.ageNote());
            notes.add(bundle.ageNote());
        }
        ModelPackage detectorPkg = ModelPackage.open(modelsDir.resolve(ModelBundle.DETECTOR));
        ModelPackage embedderPkg = ModelPackage.open(modelsDir.resolve(ModelBundle.EMBEDDER));
        return new Loaded(bundle, detector, landmarks, embedder, detectorPkg, embedderPkg,
                PyramidSettings.of(detectorPkg.manifest()),
                embedderPkg.manifest().path("alignment").path("chip_size").asInt(150),
                new QualityGate(QualityGate.Rules.DEFAULTS), Machine.describe(engine), loadSeconds);
    }

    private void printMachine(Map<String, Object> machine, String loadStart) {
        System.out.printf(Locale.ROOT, "machine: %s, %s cores, %s GiB; %s; DJL %s, %s; intra-op threads %s;"
                + " OMP_WAIT_POLICY=%s; load average %s%n",
                machine.get("cpu_model"), machine.get("nproc"), machine.get("ram_gib"), machine.get("java"),
                machine.get("djl"), machine.get("engine"), machine.get("torch_intra_op_threads"),
                machine.get("omp_wait_policy"), loadStart);
        if (!"PASSIVE".equalsIgnoreCase(String.valueOf(machine.get("omp_wait_policy")))) {
            String n = "OMP_WAIT_POLICY is not PASSIVE: on a busy machine OpenMP spin-waiting can slow the "
                    + "forward passes many times (deploy/homeward sets it)";
            System.out.println("note: " + n);
            notes.add(n);
        }
    }

    /** Every model and shape family once, untimed; then the Java steps often enough for the JIT to compile them. */
    private void warmUp(int warmup, List<BufferedImage> images, Loaded m, Forwards forwards) {
        progress("warm-up on " + warmup + " photo(s)");
        FacePipeline warmPipeline = new FacePipeline(m.bundle(), m.gate(), FacePipeline.StepTimer.NONE);
        for (int i = 0; i < warmup; i++) {
            BufferedImage img = images.get(i % images.size());
            TiledPyramid p = m.pyramids().build(forDetector(img));
            forwards.detector().run(p.data(), new Shape(1, 3, p.rows(), p.cols()));
            List<float[]> chips = new ArrayList<>();
            for (FaceBox box : m.detector().detect(img)) {
                chips.add(m.embedder().chip(img, m.landmarks().predict(img, box)));
            }
            if (!chips.isEmpty()) {
                m.embedder().embed(chips);
                forwards.embedder().run(concat(repeat(chips, 8)), new Shape(8, 3, m.chipSize(), m.chipSize()));
                m.embedder().embed(repeat(chips, 8));
            }
            warmPipeline.analyse(img);
        }
        // the Java steps run a few milliseconds each: give the JIT enough calls to compile them before the clock
        for (int r = 0; r < JAVA_WARMUP_ROUNDS; r++) {
            BufferedImage img = images.get(r % Math.min(images.size(), Math.max(1, warmup)));
            m.pyramids().build(forDetector(img));
            for (FaceBox box : m.detector().detect(img).stream().limit(1).toList()) {
                Landmarks l = m.landmarks().predict(img, box);
                m.gate().judge(l, m.embedder().chip(img, l), m.chipSize());
            }
        }
    }

    /**
     * (a) Detection at batch 1: the pyramid alone, the forward alone, and detect() as the pipeline calls it; then the
     * forward at batch 8, on pyramids of different sizes padded to the largest of the group.
     */
    private Detection measureDetection(List<BufferedImage> images, Loaded m, Forwards forwards) {
        progress("detection, batch 1: " + images.size() + " photos");
        Series pyramid = series("det.pyramid", "detector: tiled pyramid", "TiledPyramid.build (Java)", 1, "photo");
        Series detFwd = series("det.forward", "detector: model forward only",
                "TorchScript predict() on a ready tensor", 1, "photo");
        Series detRun = series("det.forward+copy", "detector: forward + tensor copies",
                "NDArray create + predict + toFloatArray", 1, "photo");
        Series detect = series("det.detect", "detect (detector.detect)",
                "downscale guard + pyramid + forward + boxes + NMS", 1, "photo");
        List<List<FaceBox>> boxes = new ArrayList<>();
        long pyramidFloats = 0;
        long pyramidPixels = 0;
        long imagePixels = 0;
        for (BufferedImage img : images) {
            BufferedImage forDetector = forDetector(img);
            long t = System.nanoTime();
            TiledPyramid p = m.pyramids().build(forDetector);
            pyramid.add(System.nanoTime() - t, 1);
            pyramidFloats += p.data().length;
            pyramidPixels += (long) p.rows() * p.cols();
            imagePixels += (long) forDetector.getWidth() * forDetector.getHeight();
            ModelForward.Timing f = forwards.detector().run(p.data(), new Shape(1, 3, p.rows(), p.cols()));
            detFwd.add(f.predictNanos(), 1);
            detRun.add(f.runNanos(), 1);
            t = System.nanoTime();
            List<FaceBox> found = m.detector().detect(img);
            detect.add(System.nanoTime() - t, 1);
            detect.addFaces(found.size());
            detFwd.addFaces(found.size());
            boxes.add(found);
        }
        progress("detector forward, batch 8 (padded)");
        Series detFwd8 = series("det.forward", "detector: model forward only",
                "predict() on 8 pyramids padded to the largest", 8, "photo");
        detectorBatch(images, m.pyramids(), forwards.detector(), detFwd8, boxes);
        return new Detection(boxes, pyramidFloats, pyramidPixels, imagePixels);
    }

    /** (b) Per face: landmarks, chip and quality gate; returns every face's chip. */
    private List<float[]> measurePerFace(List<BufferedImage> images, List<List<FaceBox>> boxes, Loaded m) {
        progress("landmarks, chips and quality gate per face");
        Series lm = series("landmarks", "landmarks (5-point shape predictor)", "landmarks.predict (Java)", 1, "face");
        Series chipTime = series("chip", "chip extraction (align to 150x150)", "embedder.chip (Java)", 1, "face");
        Series quality = series("quality", "quality gate", "QualityGate.judge (Java)", 1, "face");
        List<float[]> chips = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            BufferedImage img = images.get(i);
            for (FaceBox box : boxes.get(i)) {
                long t = System.nanoTime();
                Landmarks l = m.landmarks().predict(img, box);
                lm.add(System.nanoTime() - t, 1);
                t = System.nanoTime();
                float[] chip = m.embedder().chip(img, l);
                chipTime.add(System.nanoTime() - t, 1);
                t = System.nanoTime();
                m.gate().judge(l, chip, m.chipSize());
                quality.add(System.nanoTime() - t, 1);
                chips.add(chip);
            }
        }
        return chips;
    }

    /**
     * (b) Embedding at batch 1 and 8, interleaved on the same chips (8 one by one, then the 8 at once) so that a change
     * in the machine's load falls on both; each call followed by the forward alone.
     */
    private void measureEmbedding(List<float[]> chips, Loaded m, Forwards forwards) {
        progress("embedding, batch 1 and 8: " + chips.size() + " chips");
        for (int from = 0; from < chips.size(); from += 8) {
            List<float[]> group = chips.subList(from, Math.min(chips.size(), from + 8));
            for (int i = 0; i < group.size(); i++) {
                embedOnce(group.subList(i, i + 1), 1, m.embedder(), forwards.embedder(), m.chipSize());
            }
            embedOnce(group, 8, m.embedder(), forwards.embedder(), m.chipSize());
        }
    }

    /**
     * (c) The whole pipeline as the worker runs it (decode + analyse), then the forwards alone on the same work;
     * batch 1 and 8 interleaved on each group of 8 photos.
     */
    private Map<Integer, PipelineRun> measurePipeline(Photos photos, Loaded m, Forwards forwards) {
        progress("whole pipeline, batch 1 and 8: " + photos.images().size() + " photos");
        Map<Integer, PipelineRun> runs = new LinkedHashMap<>();
        for (int batch : BATCHES) {
            runs.put(batch, new PipelineRun(batch, m.bundle(), m.gate()));
        }
        List<byte[]> bytes = photos.bytes();
        for (int from = 0; from < bytes.size(); from += 8) {
            List<byte[]> group = bytes.subList(from, Math.min(bytes.size(), from + 8));
            for (int i = 0; i < group.size(); i++) {
                runs.get(1).once(group.subList(i, i + 1), m.pyramids(), forwards.detector(), forwards.embedder(),
                        m.embedder(), m.chipSize());
            }
            runs.get(8).once(group, m.pyramids(), forwards.detector(), forwards.embedder(), m.embedder(), m.chipSize());
        }
        return runs;
    }

    /** The tables and lines a person reads, then the JSON line. */
    private void report(Photos photos, Loaded m, Detection detection, int chips,
            Map<Integer, PipelineRun> runs, String loadStart, long benchStart) throws IOException {
        int photoCount = photos.images().size();
        Map<String, Object> stepsPerPhoto = new LinkedHashMap<>();
        Map<String, Object> ratios = new LinkedHashMap<>();
        Map<String, Object> ratiosPerCall = new LinkedHashMap<>();
        for (PipelineRun run : runs.values()) {
            stepsPerPhoto.put("batch_" + run.batch, run.perPhoto(photoCount));
            ratios.put("batch_" + run.batch, Series.round((double) run.whole.nanos() / run.modelOnly.nanos(), 3));
            ratiosPerCall.put("batch_" + run.batch, Series.round(Series.median(run.callRatios), 3));
        }
        String loadEnd = Machine.loadAverage();
        int faces = detection.boxes().stream().mapToInt(List::size).sum();
        Map<String, Object> fromStages = new LinkedHashMap<>();
        for (PipelineRun run : runs.values()) {
            fromStages.put("batch_" + run.batch, overheadFromStages(run.batch, (double) faces / photoCount,
                    (double) run.usable / photoCount));
        }
        Map<String, Object> pyramidMemory = new LinkedHashMap<>();
        pyramidMemory.put("mean_mib_per_photo", Series.round(detection.pyramidFloats() * 4.0 / photoCount / (1 << 20), 2));
        pyramidMemory.put("tiled_pixels_per_photo_pixel",
                Series.round((double) detection.pyramidPixels() / detection.imagePixels(), 2));
        printTable(photoCount, photos.megapixels(), faces, chips);
        printSteps(stepsPerPhoto);
        System.out.printf(Locale.ROOT, "%noverhead, whole pipeline / model forwards alone (1.0 = no overhead):"
                + " batch 1 %s, batch 8 %s (totals); median over calls: batch 1 %s, batch 8 %s%n",
                ratios.get("batch_1"), ratios.get("batch_8"), ratiosPerCall.get("batch_1"), ratiosPerCall.get("batch_8"));
        fromStages.forEach((batch, stages) -> {
            Map<?, ?> f = (Map<?, ?>) stages;
            System.out.printf(Locale.ROOT, "overhead from the stages' medians, %s: %s (%s ms of other work per photo"
                    + " on %s ms of model forwards)%n", batch.replace('_', ' '), f.get("ratio"),
                    f.get("other_ms_per_photo"), f.get("model_ms_per_photo"));
        });
        System.out.printf(Locale.ROOT, "detector pyramid: %.2f MiB of float32 per photo, %.2f x the photo's pixels%n",
                pyramidMemory.get("mean_mib_per_photo"), pyramidMemory.get("tiled_pixels_per_photo_pixel"));
        System.out.println("load average: " + loadStart + " at the start, " + loadEnd + " at the end");
        for (String n : notes) {
            System.out.println("note: " + n);
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "pipeline");
        json.put("command", Main.commandLine(spec));
        json.put("photos", photoCount);
        json.put("photo_source", photos.selection().source());
        json.put("mean_megapixels", Series.round(photos.megapixels(), 3));
        json.put("faces_detected", faces);
        json.put("device", device.name());
        json.put("warmup_photos", warmup);
        json.put("machine", m.machine());
        json.put("load_average_start", loadStart);
        json.put("load_average_end", loadEnd);
        json.put("model_load_s", m.loadSeconds());
        json.put("overhead_ratio_pipeline_over_model_forwards", ratios);
        json.put("overhead_ratio_median_of_calls", ratiosPerCall);
        json.put("overhead_from_stage_medians", fromStages);
        json.put("pipeline_ms_per_photo", stepsPerPhoto);
        json.put("detector_pyramid", pyramidMemory);
        json.put("series", series.values().stream().filter(x -> !x.empty() || x.note() != null).map(Series::toMap).toList());
        json.put("notes", notes);
        json.put("wall_s", Series.round((System.nanoTime() - benchStart) / 1e9, 1));
        System.out.println(new ObjectMapper().writeValueAsString(json));
    }

    /**
     * The overhead estimated from the stand-alone stages' medians, which a burst of load on a shared machine
     * moves less than the paired totals: per photo, the model forwards (detector at batch 1, as the pipeline runs
     * it, and the embedder at {@code batch} for the usable faces) against everything else the pipeline does
     * (decode, pyramid, tensor copies, boxes and NMS, landmarks, chip, quality gate, embed()'s own copies).
     */
    private Map<String, Object> overheadFromStages(int batch, double facesPerPhoto, double usablePerPhoto) {
        double detFwd = med("det.forward", 1);
        double embFwd = med("emb.forward", batch);
        double model = detFwd + usablePerPhoto * embFwd;
        double detCopies = Math.max(0, med("det.forward+copy", 1) - detFwd);
        double boxes = Math.max(0, med("det.detect", 1) - med("det.pyramid", 1) - med("det.forward+copy", 1));
        double perFace = med("landmarks", 1) + med("chip", 1) + med("quality", 1);
        double embedCopies = Math.max(0, med("emb.embed", batch) - embFwd);
        double other = med("decode", 1) + med("det.pyramid", 1) + detCopies + boxes + facesPerPhoto * perFace
                + usablePerPhoto * embedCopies;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ratio", Series.round((model + other) / model, 3));
        m.put("model_ms_per_photo", Series.round(model, 1));
        m.put("other_ms_per_photo", Series.round(other, 1));
        m.put("decode_ms", Series.round(med("decode", 1), 2));
        m.put("pyramid_ms", Series.round(med("det.pyramid", 1), 2));
        m.put("detector_tensor_copies_ms", Series.round(detCopies, 2));
        m.put("boxes_nms_ms", Series.round(boxes, 2));
        m.put("landmarks_chip_quality_ms_per_face", Series.round(perFace, 2));
        m.put("embed_copies_ms_per_chip", Series.round(embedCopies, 2));
        return m;
    }

    private double med(String key, int batch) {
        Series s = series.get(key + "@" + batch);
        return s == null || s.empty() ? 0 : s.medianMs();
    }

    /** One embed() call on {@code chips}, then the embedder's forward alone on the same chips. */
    private void embedOnce(List<float[]> chips, int batch, FaceEmbedder embedder, ModelForward forward, int chipSize) {
        Series embed = series("emb.embed", "embed (embedder.embed)", "batch copy + forward + split", batch, "chip");
        Series embFwd = series("emb.forward", "embedder: model forward only", "TorchScript predict() on a ready tensor",
                batch, "chip");
        Series embRun = series("emb.forward+copy", "embedder: forward + tensor copies",
                "NDArray create + predict + toFloatArray", batch, "chip");
        long t = System.nanoTime();
        embedder.embed(chips);
        embed.add(System.nanoTime() - t, chips.size());
        ModelForward.Timing f = forward.run(concat(chips), new Shape(chips.size(), 3, chipSize, chipSize));
        embFwd.add(f.predictNanos(), chips.size());
        embRun.add(f.runNanos(), chips.size());
    }

    /** The whole pipeline at one batch size: its calls, its steps, and the model forwards alone on the same work. */
    private final class PipelineRun {
        final int batch;
        final Steps steps = new Steps();
        final FacePipeline pipeline;
        final Series whole;
        final Series modelOnly;
        final List<Double> callRatios = new ArrayList<>();
        long decodeNanos;
        long detectorOnly;
        long embedderOnly;
        int usable;

        PipelineRun(int batch, ModelBundle bundle, QualityGate gate) {
            this.batch = batch;
            this.pipeline = new FacePipeline(bundle, gate, steps);
            this.whole = series("pipeline", "whole pipeline (decode + analyse)", "ImageDecoder.decode + FacePipeline.analyse",
                    batch, "photo");
            this.modelOnly = series("pipeline.models", "model forwards only, same work",
                    "detector predict() per photo + embedder predict() on the usable chips", batch, "photo");
        }

        void once(List<byte[]> group, PyramidSettings pyramids, ModelForward detectorForward,
                ModelForward embedderForward, FaceEmbedder embedder, int chipSize) {
            long t = System.nanoTime();
            List<BufferedImage> decoded = new ArrayList<>(group.size());
            for (byte[] b : group) {
                decoded.add(ImageDecoder.decode(b, MAX_PIXELS).rgb());
            }
            long tDecoded = System.nanoTime();
            List<List<FoundFace>> result = pipeline.analyse(decoded);
            long elapsed = System.nanoTime() - t;
            decodeNanos += tDecoded - t;
            whole.add(elapsed, group.size());
            // the same work through the models alone, on inputs built off the clock
            long models = 0;
            int faces = 0;
            List<float[]> usableChips = new ArrayList<>();
            for (int i = 0; i < decoded.size(); i++) {
                BufferedImage img = decoded.get(i);
                TiledPyramid p = pyramids.build(forDetector(img));
                long d = detectorForward.run(p.data(), new Shape(1, 3, p.rows(), p.cols())).predictNanos();
                detectorOnly += d;
                models += d;
                faces += result.get(i).size();
                for (FoundFace face : result.get(i)) {
                    if (face.embedding() != null) {
                        usableChips.add(embedder.chip(img, face.landmarks()));
                    }
                }
            }
            if (!usableChips.isEmpty()) {
                long e = embedderForward.run(concat(usableChips),
                        new Shape(usableChips.size(), 3, chipSize, chipSize)).predictNanos();
                embedderOnly += e;
                models += e;
                usable += usableChips.size();
            }
            whole.addFaces(faces);
            modelOnly.add(models, group.size());
            modelOnly.addFaces(faces);
            callRatios.add((double) elapsed / models);
        }

        Map<String, Object> perPhoto(int n) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("decode", Series.round(decodeNanos / 1e6 / n, 2));
            long accounted = decodeNanos;
            for (Map.Entry<String, Long> e : steps.nanos.entrySet()) {
                m.put(e.getKey(), Series.round(e.getValue() / 1e6 / n, 2));
                accounted += e.getValue();
            }
            m.put("other (quality gate, lists)", Series.round((whole.nanos() - accounted) / 1e6 / n, 2));
            m.put("total", Series.round(whole.meanMs(), 2));
            m.put("detector_forward_only", Series.round(detectorOnly / 1e6 / n, 2));
            m.put("embedder_forward_only", Series.round(embedderOnly / 1e6 / n, 2));
            m.put("usable_faces_embedded", usable);
            return m;
        }
    }

    /**
     * The detector's forward at batch 8: each group's pyramids copied into one tensor the size of the largest,
     * the rest filled with the background. The detector itself takes one photo at a time; this says whether
     * batching its forward would pay on this device.
     */
    private void detectorBatch(List<BufferedImage> images, PyramidSettings pyramids, ModelForward forward,
            Series out, List<List<FaceBox>> boxes) {
        long real = 0;
        long padded = 0;
        try {
            for (int from = 0; from < images.size(); from += 8) {
                int n = Math.min(8, images.size() - from);
                List<TiledPyramid> group = new ArrayList<>(n);
                int rows = 0;
                int cols = 0;
                for (int i = 0; i < n; i++) {
                    TiledPyramid p = pyramids.build(forDetector(images.get(from + i)));
                    group.add(p);
                    rows = Math.max(rows, p.rows());
                    cols = Math.max(cols, p.cols());
                }
                int plane = rows * cols;
                float[] batch = new float[n * 3 * plane];
                for (int i = 0; i < n; i++) {
                    TiledPyramid p = group.get(i);
                    for (int c = 0; c < 3; c++) {
                        int base = (i * 3 + c) * plane;
                        Arrays.fill(batch, base, base + plane, pyramids.background()[c]);
                        int src = c * p.rows() * p.cols();
                        for (int r = 0; r < p.rows(); r++) {
                            System.arraycopy(p.data(), src + r * p.cols(), batch, base + r * cols, p.cols());
                        }
                    }
                    real += (long) p.rows() * p.cols();
                    out.addFaces(boxes.get(from + i).size());
                }
                padded += (long) n * plane;
                if (from == 0) {
                    forward.run(batch, new Shape(n, 3, rows, cols)); // this input shape's first call, untimed
                }
                out.add(forward.run(batch, new Shape(n, 3, rows, cols)).predictNanos(), n);
            }
            out.note(String.format(Locale.ROOT, "%.0f%% of the batched pixels are padding", 100.0 * (padded - real) / padded));
        } catch (RuntimeException | OutOfMemoryError e) {
            out.note("not measured: " + e);
            notes.add("detector forward at batch 8 failed: " + e);
        }
    }

    /** What detect() feeds its pyramid: the photo, or the photo shrunk so its longer side is the cost guard. */
    private static BufferedImage forDetector(BufferedImage rgb) {
        int longer = Math.max(rgb.getWidth(), rgb.getHeight());
        if (longer <= DETECTOR_MAX_SIDE) {
            return rgb;
        }
        double scale = (double) DETECTOR_MAX_SIDE / longer;
        int w = (int) Math.round(rgb.getWidth() * scale);
        int h = (int) Math.round(rgb.getHeight() * scale);
        BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        g.drawImage(rgb.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        return small;
    }

    private static <T> T timedLoad(Map<String, Object> into, String name, Supplier<T> load) {
        long t = System.nanoTime();
        T value = load.get();
        into.put(name, seconds(System.nanoTime() - t));
        return value;
    }

    private static Object seconds(long nanos) {
        return Series.round(nanos / 1e9, 3);
    }

    private static float[] concat(List<float[]> chips) {
        int each = chips.get(0).length;
        float[] out = new float[chips.size() * each];
        for (int i = 0; i < chips.size(); i++) {
            System.arraycopy(chips.get(i), 0, out, i * each, each);
        }
        return out;
    }

    private static List<float[]> repeat(List<float[]> chips, int n) {
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(chips.get(i % chips.size()));
        }
        return out;
    }

    private void printTable(int photos, double megapixels, int faces, int chips) {
        System.out.printf(Locale.ROOT, "%n%d photos (mean %.2f MP), %d faces detected, %d chips%n", photos, megapixels,
                faces, chips);
        String format = "%-38s %5s %6s %11s %11s %9s %9s  %s%n";
        System.out.printf(Locale.ROOT, format, "stage", "batch", "items", "median ms", "mean ms", "items/s", "faces/s", "");
        System.out.printf(Locale.ROOT, format, "", "", "", "per item", "per item", "", "", "");
        for (Series s : series.values()) {
            if (s.empty()) {
                System.out.printf(Locale.ROOT, format, s.stage(), s.batch(), "-", "-", "-", "-", "-",
                        s.note() == null ? "" : s.note());
                continue;
            }
            System.out.printf(Locale.ROOT, format, s.stage(), s.batch(), s.items() + " " + s.unit().charAt(0),
                    Series.figure(s.medianMs()), Series.figure(s.meanMs()), Series.figure(s.perSecond()),
                    s.faces() < 0 ? "" : Series.figure(s.facesPerSecond()), s.note() == null ? "" : s.note());
        }
    }

    private static void printSteps(Map<String, Object> stepsPerPhoto) {
        System.out.println();
        System.out.println("whole pipeline, where a photo's time goes (ms per photo):");
        stepsPerPhoto.forEach((batch, steps) -> {
            StringBuilder line = new StringBuilder("  " + batch.replace('_', ' ') + ":");
            ((Map<?, ?>) steps).forEach((k, v) -> line.append(' ').append(k).append(' ').append(v).append(';'));
            System.out.println(line);
        });
    }
}
