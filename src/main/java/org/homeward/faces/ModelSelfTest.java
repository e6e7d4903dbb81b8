package org.homeward.faces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.homeward.models.AgeEstimator;
import org.homeward.models.EmbeddingTransform;
import org.homeward.models.FaceBox;
import org.homeward.models.FaceEmbedder;
import org.homeward.models.Landmarks;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelUnavailable;
import org.homeward.models.dlib.MmodFaceDetector;
import org.homeward.photos.ImageDecoder;

/**
 * Known-answer tests of the bundle: each package carries inputs and the answers its maker gave for them
 * (known-answers.json; dlib's own C++ answers for the dlib packages), and this runs the package the way the
 * pipeline does and compares. A model can be right on one CPU and silently wrong on another (libtorch's
 * kernels differ by CPU), so every process that runs models checks them here before it trusts them.
 * Each stage is fed the maker's answer of the stage before, so a failure names the package at fault.
 */
public final class ModelSelfTest {

    /** Raised when the checks themselves change; stored in every runtime fingerprint. */
    public static final int VERSION = 1;
    public static final String FILE = "known-answers.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One package's verdict: the figure measured against the tolerance, in words a person can act on. */
    public record Verdict(String packageName, boolean passed, String detail) {

        public String line() {
            return (passed ? "PASS " : "FAIL ") + packageName + ": " + detail;
        }
    }

    private final ModelBundle bundle;

    private ModelSelfTest(ModelBundle bundle) {
        this.bundle = bundle;
    }

    /** Runs every check the bundle's installed packages allow; never throws for a model fault. */
    public static SelfTestReport run(ModelBundle bundle, String runtime) {
        ModelSelfTest test = new ModelSelfTest(bundle);
        List<Verdict> verdicts = new ArrayList<>();
        verdicts.add(test.check(ModelBundle.DETECTOR, test::detector));
        verdicts.add(test.check(ModelBundle.LANDMARKS, test::landmarks));
        verdicts.add(test.check(ModelBundle.EMBEDDER, test::embedder));
        if (Files.isDirectory(bundle.dir().resolve(ModelBundle.AGE))) {
            verdicts.add(test.check(ModelBundle.AGE, test::age));
        }
        String transform = bundle.transformName();
        if (!ModelBundle.NO_TRANSFORM.equals(transform) && Files.isDirectory(bundle.dir().resolve(transform))) {
            verdicts.add(test.check(transform, test::transform));
        }
        return new SelfTestReport(runtime, VERSION, verdicts);
    }

    private interface Check {
        String run(ModelPackage pkg, JsonNode answers) throws Exception;
    }

    private Verdict check(String name, Check check) {
        try {
            ModelPackage pkg = ModelPackage.open(bundle.dir().resolve(name));
            if (!pkg.manifest().path("files").has(FILE)) {
                return new Verdict(name, false, "the package carries no known answers (" + FILE + " is not in its "
                        + "manifest); rebuild the bundle with: deploy/homeward models");
            }
            JsonNode answers = JSON.readTree(Files.readAllBytes(pkg.file(FILE)));
            return new Verdict(name, true, check.run(pkg, answers));
        } catch (Mismatch e) {
            return new Verdict(name, false, e.getMessage());
        } catch (Exception | LinkageError e) {
            return new Verdict(name, false, "could not be checked: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private String detector(ModelPackage pkg, JsonNode answers) throws IOException {
        JsonNode expected = answers.path("detector");
        double tolerance = expected.path("tolerance").asDouble();
        if (!(bundle.detector() instanceof MmodFaceDetector detector)) {
            throw new Mismatch("the bundle's detector is not the MMOD detector these answers are for");
        }
        MmodFaceDetector.ScoreMap map = detector.scores(image(pkg, answers));
        JsonNode shape = expected.path("score_shape");
        if (map.rows() != shape.get(1).asInt() || map.cols() != shape.get(2).asInt()) {
            throw new Mismatch("score map is " + map.rows() + "x" + map.cols() + ", dlib's is " + shape.get(1).asInt()
                    + "x" + shape.get(2).asInt());
        }
        double maxDiff = 0;
        for (JsonNode t : expected.path("top_scores")) {
            maxDiff = Math.max(maxDiff, diff(map.at(t.path("row").asInt(), t.path("col").asInt()), t.path("score").asDouble()));
        }
        List<FaceBox> boxes = detector.decode(map);
        List<List<Integer>> got = boxes.stream().map(ModelSelfTest::corners).toList();
        List<List<Integer>> want = new ArrayList<>();
        for (JsonNode b : expected.path("boxes")) {
            want.add(ints(b.path("box")));
        }
        String figure = "score map max |diff| " + fmt(maxDiff) + " from dlib's (tolerance " + fmt(tolerance) + ")";
        if (!(maxDiff <= tolerance)) {
            throw new Mismatch(figure + "; boxes " + got + ", dlib's " + want);
        }
        if (!got.equals(want)) {
            throw new Mismatch("boxes " + got + " where dlib found " + want + " (" + figure + ")");
        }
        return figure + "; boxes " + got + " as dlib's";
    }

    private String landmarks(ModelPackage pkg, JsonNode answers) throws IOException {
        JsonNode expected = answers.path("landmarks");
        List<Integer> box = ints(expected.path("box"));
        Landmarks got = bundle.landmarks().predict(image(pkg, answers), new FaceBox(box.get(0), box.get(1), box.get(2), box.get(3), 1f));
        double maxDiff = 0;
        JsonNode points = expected.path("points");
        for (int i = 0; i < Landmarks.COUNT; i++) {
            maxDiff = Math.max(maxDiff, Math.max(diff(got.x()[i], points.get(i).get(0).asDouble()),
                    diff(got.y()[i], points.get(i).get(1).asDouble())));
        }
        return within("5 landmarks max |diff| " + fmt(maxDiff) + " px from dlib's", maxDiff, expected.path("tolerance").asDouble());
    }

    private String embedder(ModelPackage pkg, JsonNode answers) throws IOException {
        JsonNode expected = answers.path("embedder");
        JsonNode points = expected.path("landmarks");
        double[] x = new double[Landmarks.COUNT];
        double[] y = new double[Landmarks.COUNT];
        for (int i = 0; i < Landmarks.COUNT; i++) {
            x[i] = points.get(i).get(0).asDouble();
            y[i] = points.get(i).get(1).asDouble();
        }
        FaceEmbedder embedder = bundle.embedder();
        float[] got = embedder.embed(List.of(embedder.chip(image(pkg, answers), new Landmarks(x, y)))).get(0);
        double maxDiff = maxDiff(got, expected.path("descriptor"));
        return within("descriptor max |diff| " + fmt(maxDiff) + " from dlib's", maxDiff, expected.path("tolerance").asDouble());
    }

    private String age(ModelPackage pkg, JsonNode answers) {
        AgeEstimator estimator = bundle.ageEstimator().orElseThrow(() -> new Mismatch("installed but not opened"));
        double maxDiff = 0;
        for (JsonNode c : answers.path("cases")) {
            maxDiff = Math.max(maxDiff, diff(estimator.estimate(floats(c.path("descriptor"))).years(), c.path("years").asDouble()));
        }
        return within(answers.path("cases").size() + " estimates max |diff| " + fmt(maxDiff) + " years from the maker's",
                maxDiff, answers.path("tolerance").asDouble());
    }

    private String transform(ModelPackage pkg, JsonNode answers) {
        Optional<EmbeddingTransform> transform = bundle.transform();
        EmbeddingTransform t = transform.orElseThrow(() -> new Mismatch("installed but not opened: " + bundle.transformNote()));
        double maxDiff = 0;
        int cohortAnswers = 0;
        for (JsonNode c : answers.path("cases")) {
            float[] got = t.applyToFace(floats(c.path("raw")), floats(c.path("mirrored")));
            maxDiff = Math.max(maxDiff, maxDiff(got, c.path("vector")));
            if (c.has("cohort_mean") || t.cohort().isPresent()) {
                // a cohort the answers do not cover, or answers for a cohort the package lacks, is a mismatch too
                double mean = t.cohort().map(cohort -> cohort.mean(got)).orElse(Double.NaN);
                maxDiff = Math.max(maxDiff, diff(mean, c.path("cohort_mean").asDouble(Double.NaN)));
                cohortAnswers++;
            }
        }
        return within(answers.path("cases").size() + " vectors" + (cohortAnswers > 0 ? " and cohort means" : "")
                + " max |diff| " + fmt(maxDiff) + " from the maker's", maxDiff, answers.path("tolerance").asDouble());
    }

    /** The known-answer photo, refused when it does not decode to the pixels the answers were computed on. */
    private static BufferedImage image(ModelPackage pkg, JsonNode answers) throws IOException {
        BufferedImage img = ImageDecoder.decode(Files.readAllBytes(pkg.file(answers.path("image").asText())), Long.MAX_VALUE).rgb();
        String sha = rgbSha256(img);
        if (!sha.equals(answers.path("decoded_rgb_sha256").asText())) {
            throw new Mismatch(answers.path("image").asText() + " decodes to other pixels than dlib read (sha256 " + sha
                    + "): the image decoder, not the model, differs");
        }
        return img;
    }

    /** sha256 of the image's RGB bytes, row-major: how the known answers name the pixels dlib read. */
    public static String rgbSha256(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] bytes = new byte[w * h * 3];
        for (int i = 0; i < px.length; i++) {
            bytes[3 * i] = (byte) (px[i] >> 16);
            bytes[3 * i + 1] = (byte) (px[i] >> 8);
            bytes[3 * i + 2] = (byte) px[i];
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String within(String figure, double value, double tolerance) {
        String line = figure + " (tolerance " + fmt(tolerance) + ")";
        // NaN fails: a comparison with NaN is false
        if (!(value <= tolerance)) {
            throw new Mismatch(line);
        }
        return line;
    }

    private static double maxDiff(float[] got, JsonNode expected) {
        if (got.length != expected.size()) {
            throw new Mismatch(got.length + " values where the known answer has " + expected.size());
        }
        double max = 0;
        for (int i = 0; i < got.length; i++) {
            max = Math.max(max, diff(got[i], expected.get(i).asDouble()));
        }
        return max;
    }

    /** |a - b|, NaN when either is NaN (so that Math.max carries it to the verdict). */
    private static double diff(double a, double b) {
        return Math.abs(a - b);
    }

    private static List<Integer> corners(FaceBox b) {
        return List.of(b.left(), b.top(), b.right(), b.bottom());
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asInt()));
        return out;
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    private static String fmt(double v) {
        return String.format("%.2g", v);
    }

    /** A result that differs from the known answer; its message is the verdict's detail. */
    private static final class Mismatch extends ModelUnavailable {
        Mismatch(String message) {
            super(message);
        }
    }
}
