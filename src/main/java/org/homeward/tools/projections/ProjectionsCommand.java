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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.homeward.projections.ageing.AgePrototypes;
import org.homeward.projections.ageing.PrototypePackage;
import org.homeward.projections.imaging.ProjectionFrame;
import org.homeward.tools.Command;

/**
 * {@code deploy/homeward projections}: builds the default projection's age prototypes from annotated photos
 * (build-prototypes), and draws a contact sheet of projections for a few people of the dev data
 * (contact-sheet). Plain Java, no database.
 */
public final class ProjectionsCommand implements Command {

    /** The data and package the repository's build uses (paths from the repository root). */
    static final Path DEFAULT_DATA = Path.of("..", "shared", "data", "fgnet-dev", "fgnet-dev.csv");
    static final Path DEFAULT_PACKAGE = Path.of("deploy", "models", "packages", PrototypePackage.NAME);

    /**
     * The appearance weight the committed package carries: the one the evaluation kept (docs/projections.md).
     */
    public static final double DEFAULT_APPEARANCE = 1.0;

    private final PrintStream out;
    private final PrintStream err;

    public ProjectionsCommand() {
        this(System.out, System.err);
    }

    public ProjectionsCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public String usage() {
        return "projections build-prototypes [--data FGNET.csv] [--out PKG_DIR] [--appearance W]\n"
                + "  projections contact-sheet --out sheet.png [--data FGNET.csv] [--people N] [--ages 10,15,20,30,40]"
                + " [--models DIR] [--prototypes PKG_DIR] [--appearance W]\n"
                + "  projections prototypes-sheet --out prototypes.png [--prototypes PKG_DIR]   aged-up projections"
                + " (docs/projections.md)";
    }

    @Override
    public int run(List<String> args) throws Exception {
        if (args.isEmpty() || args.get(0).equals("-h") || args.get(0).equals("--help")) {
            (args.isEmpty() ? err : out).println("usage: deploy/homeward " + usage());
            return args.isEmpty() ? 2 : 0;
        }
        Map<String, String> o;
        try {
            o = options(args.subList(1, args.size()));
            return switch (args.get(0)) {
                case "build-prototypes" -> buildPrototypes(o);
                case "contact-sheet" -> ContactSheet.run(o, out, err);
                case "prototypes-sheet" -> ContactSheet.prototypes(o, out);
                default -> throw new IllegalArgumentException("unknown action '" + args.get(0)
                        + "' (build-prototypes, contact-sheet or prototypes-sheet)");
            };
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("usage: deploy/homeward " + usage());
            return 2;
        }
    }

    private int buildPrototypes(Map<String, String> o) {
        Path csv = Path.of(o.getOrDefault("--data", DEFAULT_DATA.toString()));
        Path dir = Path.of(o.getOrDefault("--out", DEFAULT_PACKAGE.toString()));
        double appearance = number(o, "--appearance", DEFAULT_APPEARANCE);
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException(csv + " not found: give the FG-NET dev list (path,identity,age,points) with --data");
        }
        long start = System.nanoTime();
        List<AnnotatedPhoto> photos = AnnotatedPhoto.readCsv(csv);
        AgePrototypes prototypes = PrototypeBuilder.build(photos, ProjectionFrame.DEFAULT, PrototypeBuilder.Rules.DEFAULT);
        PrototypePackage.write(dir, prototypes, appearance, provenance(csv, photos));
        for (AgePrototypes.Group g : prototypes.groups()) {
            out.printf(Locale.ROOT, "  ages %-6s mean %5.1f  %3d photos of %2d people%n", g.label(), g.meanAge(),
                    g.photos(), g.identities());
        }
        out.printf(Locale.ROOT, "wrote %s: %d age groups from %d photos (%.1f s)%n", dir, prototypes.groups().size(),
                photos.size(), (System.nanoTime() - start) / 1e9);
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

    static Map<String, String> options(List<String> args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            o.put(a, args.get(++i));
        }
        return o;
    }

    static double number(Map<String, String> o, String name, double fallback) {
        String v = o.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number, not '" + v + "'");
        }
    }

    public static List<Double> ages(String list) {
        List<Double> out = new ArrayList<>();
        for (String s : list.split(",")) {
            try {
                double a = Double.parseDouble(s.trim());
                if (a < 0 || a > 100) {
                    throw new NumberFormatException();
                }
                out.add(a);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ages must be numbers of years from 0 to 100, not '" + s + "'");
            }
        }
        return out;
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
