package org.homeward.tools.projections;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.QualityGate;
import org.homeward.models.AgeEstimator;
import org.homeward.models.ModelUnavailable;
import org.homeward.models.ModelsConfig;
import org.homeward.projections.ageing.AgePrototypes;
import org.homeward.projections.ageing.PrototypePackage;
import org.homeward.projections.ageing.PrototypeProjector;
import org.homeward.projections.ageing.Resemblance;
import org.homeward.projections.imaging.ColourImage;
import org.homeward.projections.imaging.ProjectionFrame;
import org.homeward.tools.Main;
import org.homeward.tools.ModelsOption;
import org.homeward.tools.bench.Machine;
import org.homeward.tools.eval.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code deploy/homeward projections}: builds the default projection's age prototypes from annotated photos
 * (build-prototypes), measures how old projections look and whether they keep the child (ageing), and draws a
 * contact sheet of projections for a few people of the dev data (contact-sheet). Plain Java, no database.
 */
@Command(name = "projections", description = "aged-up projections (docs/projections.md)", subcommands = ContactSheet.class)
public final class ProjectionsCommand {

    /** The data and package the repository's build uses (paths from the repository root). */
    static final String DEFAULT_DATA = "../shared/data/fgnet-dev/fgnet-dev.csv";
    static final String DEFAULT_PACKAGE = "deploy/models/packages/" + PrototypePackage.NAME;
    static final String PROTOTYPES_HELP = "the age-prototypes package (default: the bundle's, else " + DEFAULT_PACKAGE + ")";

    /**
     * The weights the committed package carries: the ones the evaluation kept (docs/projections.md).
     */
    public static final double DEFAULT_APPEARANCE = 1.0;
    public static final double DEFAULT_TEXTURE = 1.0;
    public static final double DEFAULT_SHAPE = 1.25;
    public static final double DEFAULT_CRANIUM = 0;
    public static final PrototypeProjector.Weights DEFAULT_WEIGHTS =
            new PrototypeProjector.Weights(DEFAULT_APPEARANCE, DEFAULT_TEXTURE, DEFAULT_SHAPE, DEFAULT_CRANIUM);

    private final PrintStream out;

    ProjectionsCommand(PrintStream out) {
        this.out = out;
    }

    @Command(name = "build-prototypes", description = "build the default projection's age prototypes from annotated photos")
    int buildPrototypes(
            @Option(names = "--data", paramLabel = "FGNET.csv", defaultValue = DEFAULT_DATA,
                    description = "the annotated photos: path,identity,age,points") Path csv,
            @Option(names = "--out", paramLabel = "PKG_DIR", defaultValue = DEFAULT_PACKAGE,
                    description = "the package folder to write") Path dir,
            @Option(names = "--appearance", paramLabel = "W", defaultValue = "" + DEFAULT_APPEARANCE,
                    description = "the appearance weight the package carries") double appearance,
            @Option(names = "--texture", paramLabel = "W", defaultValue = "" + DEFAULT_TEXTURE,
                    description = "the texture weight the package carries") double texture,
            @Option(names = "--shape", paramLabel = "W", defaultValue = "" + DEFAULT_SHAPE,
                    description = "the shape weight the package carries") double shape,
            @Option(names = "--cranium", paramLabel = "W", defaultValue = "" + DEFAULT_CRANIUM,
                    description = "the cranium weight the package carries") double cranium) {
        PrototypeProjector.Weights weights = weights(appearance, texture, shape, cranium);
        List<AnnotatedPhoto> photos = annotated(csv);
        long start = System.nanoTime();
        AgePrototypes prototypes = PrototypeBuilder.build(photos, ProjectionFrame.DEFAULT, PrototypeBuilder.Rules.DEFAULT);
        PrototypePackage.write(dir, prototypes, weights, provenance(csv, photos));
        for (AgePrototypes.Group g : prototypes.groups()) {
            out.printf(Locale.ROOT, "  ages %-6s mean %5.1f  %3d photos of %2d people%n", g.label(), g.meanAge(),
                    g.photos(), g.identities());
        }
        out.printf(Locale.ROOT, "wrote %s: %d age groups from %d photos (%.1f s)%n", dir, prototypes.groups().size(),
                photos.size(), (System.nanoTime() - start) / 1e9);
        return 0;
    }

    @Command(name = "ageing", description = {"Does a projection look its age, and is it still the child? One childhood"
            + " photo (age 3 to 8) per person, projected with prototypes built without that person (folds by identity):"
            + " the age estimator's mean estimate and error by target age, the share nearer their own child than any"
            + " other, and the similarity to the person's real adult photo against the childhood photo's (docs/projections.md)."})
    int ageing(
            @Option(names = "--data", paramLabel = "FGNET.csv", defaultValue = DEFAULT_DATA,
                    description = "the annotated photos: path,identity,age,points") Path csv,
            @Option(names = "--folds", paramLabel = "K", defaultValue = "4", description = "folds by identity") int folds,
            @Option(names = "--ages", paramLabel = "A", split = ",", defaultValue = "10,12,14,16,18,20,25,30,35",
                    description = "target ages") List<Double> targets,
            @Option(names = "--appearance", paramLabel = "W", defaultValue = "" + DEFAULT_APPEARANCE,
                    description = "appearance weight") double appearance,
            @Option(names = "--texture", paramLabel = "W", defaultValue = "" + DEFAULT_TEXTURE,
                    description = "texture weight") double texture,
            @Option(names = "--shape", paramLabel = "W", defaultValue = "" + DEFAULT_SHAPE,
                    description = "shape weight") double shape,
            @Option(names = "--cranium", paramLabel = "W", defaultValue = "" + DEFAULT_CRANIUM,
                    description = "cranium weight: the share of the head's growth above the eyes") double cranium,
            @Option(names = "--adult-photos", paramLabel = "LAG.csv", description = "an experiment: the adult photos of this"
                    + " list (path,identity,group; lag-train's) make the mean image of every group aged 18 and over")
            Path adultPhotos,
            @Mixin ModelsOption models) {
        Main.within("--folds", folds, 2, 20);
        PrototypeProjector.Weights weights = weights(appearance, texture, shape, cranium);
        targets.forEach(t -> Main.within("--ages", t, 0, 100));
        List<AnnotatedPhoto> photos = annotated(csv);
        long start = System.nanoTime();
        try (FigureModels m = FigureModels.open(models)) {
            AgeingFigures figures = new AgeingFigures(m.pipeline(), m.bundle().embedder(), m.estimator(), photos, Integer.MAX_VALUE);
            AgePrototypes all = PrototypeBuilder.build(photos, ProjectionFrame.DEFAULT, PrototypeBuilder.Rules.DEFAULT);
            UnaryOperator<AgePrototypes> change = UnaryOperator.identity();
            if (adultPhotos != null) {
                List<Path> adults = Manifest.read(adultPhotos, false, "adult").photos().stream().map(Manifest.Photo::file).toList();
                ColourImage adult = AdultMeans.of(adults, m.pipeline(), all, System.err);
                change = p -> AdultMeans.withAdultImage(p, adult);
                all = change.apply(all);
            }
            AgeingFigures.Report report = figures.measure(
                    AgeingFigures.heldOut(photos, folds, weights, System.err, change), targets);
            out.printf(Locale.ROOT, "appearance %.2f, texture %.2f, shape %.2f, cranium %.2f, prototypes from %s in %d folds by"
                    + " identity%s%n", appearance, texture, shape, cranium, csv, folds,
                    adultPhotos == null ? "" : "; adult mean images from " + adultPhotos);
            out.print(report.table());
            out.println("the mean images of the age groups (all photos), as the age estimator reads them:");
            AgeingFigures.meanImageAges(all, AgeingFigures.blurAllowed(m.bundle()), m.estimator()).forEach((group, years) ->
                    out.printf(Locale.ROOT, "  ages %-6s looks %4.1f%n", group, years));
            out.printf(Locale.ROOT, "(%.0f s)%n", (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }

    @Command(name = "resemblance", description = {"What a relative's adult photo changes in a projection. FG-NET has no"
            + " families, so the person's own first adult photo (the most a relative can give) and another person's (a"
            + " relative who does not resemble them) steer projections of a childhood photo at 3-8, with prototypes built"
            + " without that person; each is judged against the person's last adult photo, never used for steering"
            + " (docs/projections.md)."})
    int resemblance(
            @Option(names = "--data", paramLabel = "FGNET.csv", defaultValue = DEFAULT_DATA,
                    description = "the annotated photos: path,identity,age,points") Path csv,
            @Option(names = "--folds", paramLabel = "K", defaultValue = "4", description = "folds by identity") int folds,
            @Option(names = "--ages", paramLabel = "A", split = ",", defaultValue = "14,18,25,35",
                    description = "target ages") List<Double> targets,
            @Option(names = "--weight", paramLabel = "W", defaultValue = "" + Resemblance.DEFAULT_WEIGHT,
                    description = "the share of the relative's difference from the adult mean at 20 and after") double weight,
            @Mixin ModelsOption models) {
        Main.within("--folds", folds, 2, 20);
        Main.within("--weight", weight, 0, 1);
        targets.forEach(t -> Main.within("--ages", t, 0, 100));
        List<AnnotatedPhoto> photos = annotated(csv);
        long start = System.nanoTime();
        try (FigureModels m = FigureModels.open(models)) {
            ResemblanceFigures figures = new ResemblanceFigures(m.pipeline(), m.bundle().embedder(), m.estimator(), photos);
            List<ResemblanceFigures.Row> rows = figures.measure(AgeingFigures.heldOut(photos, folds, DEFAULT_WEIGHTS,
                    System.err), targets, weight);
            out.printf(Locale.ROOT, "%d people with a childhood photo at 3-8 and two adult photos; weight %.2f; prototypes from %s"
                    + " in %d folds by identity%n", figures.people(), weight, csv, folds);
            out.print(ResemblanceFigures.table(rows));
            figures.renderMillis().forEach((steering, ms) -> out.printf(Locale.ROOT, "drawing, steered by %s: %.0f ms per"
                    + " projection%n", steering.label, ms));
            out.println("machine: " + Machine.describe());
            out.printf(Locale.ROOT, "(%.0f s)%n", (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }

    /** What the figures run on: the bundle, its age estimator and the app's face pipeline over it. */
    private record FigureModels(ModelBundle bundle, AgeEstimator estimator, FacePipeline pipeline) implements AutoCloseable {

        static FigureModels open(ModelsOption models) {
            ModelBundle bundle = new ModelBundle(models.dir(), ModelsConfig.Device.auto, 2000);
            AgeEstimator estimator = bundle.ageEstimator().orElse(null);
            if (estimator == null) {
                bundle.close();
                throw new ModelUnavailable("no age estimator in " + models.dir() + ": the figures need one (deploy/homeward models)");
            }
            return new FigureModels(bundle, estimator,
                    new FacePipeline(bundle, new QualityGate(QualityGate.Rules.DEFAULTS), FacePipeline.StepTimer.NONE));
        }

        @Override
        public void close() {
            bundle.close();
        }
    }

    private static PrototypeProjector.Weights weights(double appearance, double texture, double shape, double cranium) {
        Main.within("--appearance", appearance, 0, 2);
        Main.within("--texture", texture, 0, 2);
        Main.within("--shape", shape, 0, 2);
        Main.within("--cranium", cranium, 0, 2);
        return new PrototypeProjector.Weights(appearance, texture, shape, cranium);
    }

    private static List<AnnotatedPhoto> annotated(Path csv) {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException(csv + " not found: give the FG-NET dev list (path,identity,age,points) with --data");
        }
        return AnnotatedPhoto.readCsv(csv);
    }

    @Command(name = "prototypes-sheet", description = "the package's mean image of every age group with its mean shape:"
            + " aggregate statistics only, no person's photo, so the sheet may be published")
    int prototypesSheet(
            @Option(names = "--out", required = true, paramLabel = "prototypes.png", description = "the sheet to write") Path file,
            @Option(names = "--prototypes", paramLabel = "PKG_DIR", description = PROTOTYPES_HELP) Path prototypes,
            @Mixin ModelsOption models) throws IOException {
        ContactSheet.prototypes(file, ContactSheet.prototypesDir(prototypes, models.dir()), out);
        return 0;
    }

    /** Where the prototypes came from: the list's checksum and counts, never a file name of a person's photo. */
    public static ObjectNode provenance(Path csv, List<AnnotatedPhoto> photos) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("dataset", "FG-NET Aging Database, dev half (../shared/data/fgnet-dev; research use)");
        n.put("list", csv.getFileName().toString());
        n.put("list_sha256", sha256(csv));
        n.put("photos", photos.size());
        Set<String> people = new LinkedHashSet<>();
        photos.forEach(p -> people.add(p.identity()));
        n.put("identities", people.size());
        n.put("built_by", "deploy/homeward projections build-prototypes --data " + csv);
        return n;
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
