package org.homeward.tools.projections;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.FoundFace;
import org.homeward.faces.pipeline.QualityGate;
import org.homeward.models.ModelsConfig;
import org.homeward.projections.ageing.AgeProjector;
import org.homeward.projections.ageing.AgePrototypes;
import org.homeward.projections.ageing.PrototypePackage;
import org.homeward.projections.ageing.PrototypeProjector;
import org.homeward.projections.ageing.Resemblance;
import org.homeward.tools.Main;
import org.homeward.tools.ModelsOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code projections contact-sheet}: for a few people of the dev data, a childhood photo's face, its
 * projections to later ages, and (for comparison, research data only) a real photo of the same person near
 * the last of those ages. Faces are found by the app's own pipeline, as in the worker.
 */
@Command(name = "contact-sheet", description = {"For a few people of the dev data: a childhood face, its projections to"
        + " later ages, and a real photo near the last of them (research data only)."})
final class ContactSheet implements Callable<Integer> {

    private static final int CELL = 160;
    private static final int CAPTION = 34;
    private static final int LABEL = 120;
    private static final int TITLE = 54;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    @Option(names = "--out", required = true, paramLabel = "sheet.png", description = "the sheet to write")
    private Path file;
    @Option(names = "--data", paramLabel = "FGNET.csv", defaultValue = ProjectionsCommand.DEFAULT_DATA,
            description = "the annotated photos: path,identity,age,points")
    private Path csv;
    @Option(names = "--people", paramLabel = "N", description = "rows, one person each")
    private int people = 4;
    @Option(names = "--ages", split = ",", paramLabel = "YEARS", description = "the ages projected to, each 0 to 100")
    private List<Double> ages = List.of(10.0, 15.0, 20.0, 30.0, 40.0);
    @Mixin
    private ModelsOption models;
    @Option(names = "--prototypes", paramLabel = "PKG_DIR", description = ProjectionsCommand.PROTOTYPES_HELP)
    private Path prototypes;
    @Option(names = "--appearance", paramLabel = "W", description = "the appearance weight (default: the package's)")
    private Double appearance;
    @Option(names = "--cranium", paramLabel = "W", description = "the cranium weight (default: the package's)")
    private Double cranium;
    @Option(names = "--relative", paramLabel = "WHOSE", description = {"steer the adult end with a stand-in relative's"
            + " adult photo (shown in an extra column): own (the person's own real photo of the last column, the most a"
            + " relative can give) or other (the previous row's person's: a relative who does not resemble them)"})
    private RelativeStandIn relative;
    @Option(names = "--relative-weight", paramLabel = "W", description = "the share of the relative's difference from the"
            + " adult mean (default " + Resemblance.DEFAULT_WEIGHT + ")")
    private double relativeWeight = Resemblance.DEFAULT_WEIGHT;

    /** Whose adult photo stands in for a relative's. */
    enum RelativeStandIn { own, other }

    private final PrintStream out;
    private final PrintStream err;

    ContactSheet(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** A face ready to project: the photo, its first usable face, the person's age in it. */
    record Source(AnnotatedPhoto photo, BufferedImage image, FoundFace face) {
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException(csv + " not found: give the FG-NET dev list with --data");
        }
        Main.within("--people", people, 1, Integer.MAX_VALUE);
        ages.forEach(a -> Main.within("--ages", a, 0, 100));
        PrototypeProjector projector = PrototypePackage.open(prototypesDir(prototypes, models.dir()));
        if (appearance != null) {
            projector = projector.withAppearance(appearance);
        }
        if (cranium != null) {
            Main.within("--cranium", cranium, 0, 2);
            projector = projector.withCranium(cranium);
        }

        Map<String, List<AnnotatedPhoto>> byPerson = AnnotatedPhoto.byPerson(AnnotatedPhoto.readCsv(csv));
        double last = ages.get(ages.size() - 1);
        List<List<BufferedImage>> rows = new ArrayList<>();
        List<List<String>> captions = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Source previousAdult = null;
        try (ModelBundle bundle = new ModelBundle(models.dir(), ModelsConfig.Device.cpu, 2000)) {
            FacePipeline pipeline = new FacePipeline(bundle, new QualityGate(QualityGate.Rules.DEFAULTS), FacePipeline.StepTimer.NONE);
            for (Map.Entry<String, List<AnnotatedPhoto>> e : byPerson.entrySet()) {
                if (rows.size() == people) {
                    break;
                }
                List<AnnotatedPhoto> photos = e.getValue();
                Source child = first(pipeline, photos.stream().filter(p -> p.age() >= 2 && p.age() <= 8)
                        .sorted(Comparator.comparingDouble(AnnotatedPhoto::age)).toList());
                Source adult = first(pipeline, photos.stream().filter(p -> p.age() >= 18)
                        .sorted(Comparator.comparingDouble(p -> Math.abs(p.age() - last))).toList());
                if (child == null || adult == null) {
                    continue;
                }
                List<Double> targets = new ArrayList<>();
                targets.add(child.photo().age());
                ages.stream().filter(a -> a > child.photo().age()).forEach(targets::add);
                Source steer = relative == RelativeStandIn.own ? adult : relative == RelativeStandIn.other ? previousAdult : null;
                previousAdult = adult;
                if (relative == RelativeStandIn.other && steer == null) {
                    continue;
                }
                Resemblance resemblance = steer == null ? Resemblance.NONE : new Resemblance(
                        List.of(new Resemblance.Relative(steer.image(), steer.face().landmarks())), relativeWeight);
                List<AgeProjector.Rendered> rendered = projector.project(child.image(), child.face().landmarks(),
                        child.photo().age(), targets, resemblance);
                List<BufferedImage> row = new ArrayList<>();
                List<String> caption = new ArrayList<>();
                for (AgeProjector.Rendered r : rendered) {
                    row.add(r.image());
                    caption.add(r == rendered.get(0) ? "photo, age " + fmt(r.targetAge()) : "projection, " + fmt(r.targetAge()));
                }
                row.add(projector.project(adult.image(), adult.face().landmarks(), adult.photo().age(),
                        List.of(adult.photo().age())).get(0).image());
                caption.add("real photo, " + fmt(adult.photo().age()));
                if (steer != null) {
                    row.add(projector.sourceFrame(steer.image(), steer.face().landmarks()));
                    caption.add("stand-in relative\n(" + relative + ", weight " + relativeWeight + ")");
                }
                rows.add(row);
                captions.add(caption);
                labels.add(e.getKey());
                err.println("[projections] " + e.getKey() + ": age " + fmt(child.photo().age()) + " to " + targets.subList(1, targets.size()));
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(csv + ": no person has a usable childhood face (age 2-8) and an adult one (18+)");
        }
        BufferedImage sheet = draw(rows, captions, labels, String.format(Locale.ROOT,
                "method: %s (%s, appearance %.2f, texture %.2f, shape %.2f, cranium %.2f). Last column: a real photo of"
                + " the same person, for comparison (research data).", projector.model().id(), projector.model().method(),
                projector.weights().appearance(), projector.weights().texture(), projector.weights().shape(),
                projector.weights().cranium()),
                "Computer projections, not photographs");
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        ImageIO.write(sheet, "png", file.toFile());
        out.println("wrote " + file + ": " + rows.size() + " people, projections to " + ages + " with " + projector.model().id());
        return 0;
    }

    /**
     * {@code projections prototypes-sheet}: the package's mean image of every age group with its mean shape drawn
     * over it: aggregate statistics only, no person's photo, so the sheet may be published (docs/projections.md).
     */
    static void prototypes(Path file, Path prototypesDir, PrintStream out) throws IOException {
        AgePrototypes p = PrototypePackage.open(prototypesDir).prototypes();
        int perRow = 7;
        List<List<BufferedImage>> rows = new ArrayList<>();
        List<List<String>> captions = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < p.groups().size(); i += perRow) {
            List<BufferedImage> row = new ArrayList<>();
            List<String> caption = new ArrayList<>();
            for (AgePrototypes.Group g : p.groups().subList(i, Math.min(p.groups().size(), i + perRow))) {
                BufferedImage image = g.image().toBufferedImage();
                Graphics2D d = image.createGraphics();
                d.setColor(new Color(255, 80, 0));
                double scale = (double) p.imageSize() / p.frame().size();
                // the group's own mean shape, drawn over its mean image (which is warped to the reference shape)
                double[] shape = g.shape();
                for (int k = 0; k < shape.length; k += 2) {
                    d.fillOval((int) Math.round(shape[k] * scale) - 1, (int) Math.round(shape[k + 1] * scale) - 1, 2, 2);
                }
                d.dispose();
                row.add(image);
                caption.add(String.format(Locale.ROOT, "ages %s%n%d photos, %d people", g.label(), g.photos(), g.identities()));
            }
            rows.add(row);
            captions.add(caption);
            labels.add(i == 0 ? "mean images" : "");
        }
        BufferedImage sheet = draw(rows, captions, labels, "age prototypes of FG-NET dev (aggregate means; dots: the group's"
                + " mean shape)", "Age-group prototypes: means, not photographs");
        ImageIO.write(sheet, "png", file.toFile());
        out.println("wrote " + file + ": " + p.groups().size() + " age groups");
    }

    /** The package given, else the bundle's, else the repository's. */
    static Path prototypesDir(Path given, Path models) {
        if (given != null) {
            return given;
        }
        Path installed = models.resolve(PrototypePackage.NAME);
        return Files.isDirectory(installed) ? installed : Path.of(ProjectionsCommand.DEFAULT_PACKAGE);
    }

    private static Source first(FacePipeline pipeline, List<AnnotatedPhoto> candidates) throws IOException {
        for (AnnotatedPhoto p : candidates) {
            BufferedImage image = p.read();
            for (FoundFace f : pipeline.analyse(image)) {
                if (f.quality().usable()) {
                    return new Source(p, image, f);
                }
            }
        }
        return null;
    }

    private static BufferedImage draw(List<List<BufferedImage>> rows, List<List<String>> captions, List<String> labels,
            String subtitle, String title) {
        int cols = rows.stream().mapToInt(List::size).max().orElse(1);
        int w = LABEL + cols * CELL;
        int h = TITLE + rows.size() * (CELL + CAPTION);
        BufferedImage sheet = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 10, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(subtitle, 10, 42);
        for (int r = 0; r < rows.size(); r++) {
            int top = TITLE + r * (CELL + CAPTION);
            g.setColor(Color.BLACK);
            g.drawString(labels.get(r), 8, top + CELL / 2);
            List<BufferedImage> row = rows.get(r);
            for (int c = 0; c < row.size(); c++) {
                int left = LABEL + c * CELL;
                g.drawImage(row.get(c), left + 2, top + 2, CELL - 4, CELL - 4, null);
                String caption = captions.get(r).get(c);
                g.setColor(caption.startsWith("projection") ? new Color(150, 40, 0) : Color.DARK_GRAY);
                String[] lines = caption.split("\n");
                for (int k = 0; k < lines.length; k++) {
                    g.drawString(lines[k], left + 6, top + CELL + 14 + 13 * k);
                }
            }
        }
        g.dispose();
        return sheet;
    }

    private static String fmt(double age) {
        return age == Math.rint(age) ? Long.toString((long) age) : String.format(Locale.ROOT, "%.1f", age);
    }
}
