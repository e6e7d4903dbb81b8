package org.homeward.tools.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eval make-pairs}: writes an LFW-format pairs list over a manifest's photos, numbered as
 * {@code eval pairs --manifest} reads them (photo i of an identity = its i-th row in the manifest).
 * <ul>
 * <li>{@code --kind child-adult} (default): every photo at age &lt;= child-max-age paired with every photo of the
 * same person at age &gt;= adult-min-age, and as many different-person pairs: each same pair's childhood photo
 * with an adult photo of another person drawn with {@code --seed}, so both kinds have the same childhood ages.</li>
 * <li>{@code --kind all}: every pair of photos in the manifest.</li>
 * </ul>
 * No first line: {@code eval pairs} deals the pairs into 10 folds.
 */
@Command(name = "make-pairs", description = {"Writes an LFW-format pairs list over a manifest's photos, numbered as"
        + " eval pairs --manifest reads them.", "child-adult: each childhood photo with each adult photo of the same"
        + " person, and as many pairs with another person's; all: every pair."})
final class MakePairs implements Callable<Integer> {

    @Option(names = "--manifest", required = true, paramLabel = "M.csv", description = "the photos: path,identity,age")
    private Path manifestFile;
    @Option(names = "--kind", paramLabel = "child-adult|all", description = "which pairs")
    private String kind = "child-adult";
    @Option(names = "--seed", paramLabel = "S", description = "draws the different-person pairs")
    private long seed = 1;
    @Option(names = "--output", paramLabel = "P.txt", description = "the list's file (default: stdout)")
    private Path output;
    @Mixin
    private AgeOptions ages;

    private final PrintStream out;

    MakePairs(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException {
        Manifest manifest = Manifest.read(manifestFile, false);
        for (Manifest.Photo p : manifest.photos()) {
            if (p.identity().matches(".*\\s.*")) {
                throw EvalInputError.at(manifest.csv(), p.line(), "the identity '" + p.identity()
                        + "' has a space, which the pairs format cannot hold");
            }
        }
        List<String> lines = switch (kind) {
            case "child-adult" -> childAdult(manifest, ages.childMax(), ages.adultMin(), seed);
            case "all" -> all(manifest);
            default -> throw new EvalInputError("--kind must be child-adult or all, not '" + kind + "'");
        };
        String text = String.join("\n", lines) + "\n";
        if (output == null) {
            out.print(text);
        } else {
            if (output.toAbsolutePath().getParent() != null) {
                Files.createDirectories(output.toAbsolutePath().getParent());
            }
            Files.writeString(output, text, StandardCharsets.UTF_8);
            long same = lines.stream().filter(l -> l.split("\t").length == 3).count();
            out.println("wrote " + lines.size() + " pairs (" + same + " same, " + (lines.size() - same) + " different) to " + output);
        }
        return 0;
    }

    static List<String> childAdult(Manifest m, double childMax, double adultMin, long seed) {
        if (childMax >= adultMin) {
            throw new EvalInputError("--child-max-age (" + childMax + ") must be below --adult-min-age (" + adultMin + ")");
        }
        record Ref(String identity, int number, Manifest.Photo photo) {
        }
        List<Ref[]> same = new ArrayList<>();
        List<String> adultIdentities = new ArrayList<>();
        for (Map.Entry<String, List<Manifest.Photo>> e : m.byIdentity().entrySet()) {
            List<Manifest.Photo> photos = e.getValue();
            boolean hasAdult = false;
            for (int j = 0; j < photos.size(); j++) {
                requireAge(m, photos.get(j));
                hasAdult |= photos.get(j).age() >= adultMin;
            }
            if (hasAdult) {
                adultIdentities.add(e.getKey());
            }
            for (int i = 0; i < photos.size(); i++) {
                for (int j = 0; j < photos.size(); j++) {
                    if (photos.get(i).age() <= childMax && photos.get(j).age() >= adultMin) {
                        same.add(new Ref[] {new Ref(e.getKey(), i + 1, photos.get(i)), new Ref(e.getKey(), j + 1, photos.get(j))});
                    }
                }
            }
        }
        if (same.isEmpty()) {
            throw new EvalInputError(m.csv() + ": no identity has both a photo at age <= " + Tracing.fmt(childMax)
                    + " and one at age >= " + Tracing.fmt(adultMin) + " (the class of same-person pairs is empty)");
        }
        if (adultIdentities.size() < 2) {
            throw new EvalInputError(m.csv() + ": fewer than two identities have a photo at age >= " + Tracing.fmt(adultMin));
        }
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (Ref[] p : same) {
            lines.add(p[0].identity() + "\t" + p[0].number() + "\t" + p[1].number());
        }
        Set<String> used = new HashSet<>();
        for (Ref[] p : same) {
            for (int attempt = 0; attempt < 1000; attempt++) {
                String other = adultIdentities.get(random.nextInt(adultIdentities.size()));
                if (other.equals(p[0].identity())) {
                    continue;
                }
                List<Manifest.Photo> photos = m.byIdentity().get(other);
                List<Integer> adults = new ArrayList<>();
                for (int j = 0; j < photos.size(); j++) {
                    if (photos.get(j).age() >= adultMin) {
                        adults.add(j + 1);
                    }
                }
                int j = adults.get(random.nextInt(adults.size()));
                String line = p[0].identity() + "\t" + p[0].number() + "\t" + other + "\t" + j;
                if (used.add(line)) {
                    lines.add(line);
                    break;
                }
            }
        }
        return lines;
    }

    static List<String> all(Manifest m) {
        List<String> same = new ArrayList<>();
        List<String> different = new ArrayList<>();
        List<String> ids = new ArrayList<>(m.byIdentity().keySet());
        for (int a = 0; a < ids.size(); a++) {
            List<Manifest.Photo> pa = m.byIdentity().get(ids.get(a));
            for (int i = 0; i < pa.size(); i++) {
                for (int j = i + 1; j < pa.size(); j++) {
                    same.add(ids.get(a) + "\t" + (i + 1) + "\t" + (j + 1));
                }
                for (int b = a + 1; b < ids.size(); b++) {
                    List<Manifest.Photo> pb = m.byIdentity().get(ids.get(b));
                    for (int j = 0; j < pb.size(); j++) {
                        different.add(ids.get(a) + "\t" + (i + 1) + "\t" + ids.get(b) + "\t" + (j + 1));
                    }
                }
            }
        }
        List<String> lines = new ArrayList<>(same);
        lines.addAll(different);
        return lines;
    }

    private static void requireAge(Manifest m, Manifest.Photo p) {
        if (p.age() == null) {
            throw EvalInputError.at(m.csv(), p.line(), "bad age '' (child-adult pairs need every photo's age in years)");
        }
    }
}
