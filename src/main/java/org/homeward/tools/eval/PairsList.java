package org.homeward.tools.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A verification pairs list in the LFW format (the one ECAF's image_pairs/*.txt follow): {@code name i j} for
 * two photos of the same person, {@code name1 i name2 j} for two people, fields separated by tabs or spaces,
 * photo numbers from 1. An optional first line gives the folds: {@code n m} (n folds, each m same pairs then
 * m different pairs, as LFW View 2's "10 300") or {@code N} (N same pairs then N different pairs, as
 * pairsDevTrain.txt). Without the "n m" line, pairs are dealt into 10 folds ({@link Metrics#stratifiedFolds}; fewer
 * when the list has fewer than 10 pairs).
 */
public final class PairsList {

    /** One photo as the list names it: the person's name and the photo's number (1-based). */
    public record Image(String name, int number) {
        /** LFW's file name: name/name_0005.jpg. */
        public String lfwPath() {
            return name + "/" + name + String.format(Locale.ROOT, "_%04d.jpg", number);
        }
    }

    /** One pair: its line, its two photos, whether they show the same person, and its fold (0-based). */
    public record Pair(int line, Image a, Image b, boolean same, int fold) {
    }

    public static final int DEFAULT_FOLDS = 10;

    private final Path file;
    private final List<Pair> pairs;
    private final int folds;
    private final String foldsFrom;

    private PairsList(Path file, List<Pair> pairs, int folds, String foldsFrom) {
        this.file = file;
        this.pairs = Collections.unmodifiableList(pairs);
        this.folds = folds;
        this.foldsFrom = foldsFrom;
    }

    public Path file() {
        return file;
    }

    public List<Pair> pairs() {
        return pairs;
    }

    public int folds() {
        return folds;
    }

    /** How the folds were made, for the report. */
    public String foldsFrom() {
        return foldsFrom;
    }

    public static PairsList read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EvalInputError(file + ": cannot read the pairs list (" + e.getMessage() + ")");
        }
        return parse(file, lines);
    }

    /** Parses the lines of a pairs list; {@code file} names it in messages. */
    static PairsList parse(Path file, List<String> lines) {
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) {
            first++;
        }
        int[] header = null;
        int headerLine = first + 1;
        if (first < lines.size()) {
            String[] f = lines.get(first).trim().split("\\s+");
            if (f.length <= 2 && allIntegers(f)) {
                header = new int[f.length];
                for (int i = 0; i < f.length; i++) {
                    header[i] = Integer.parseInt(f[i]);
                    if (header[i] < 1) {
                        throw EvalInputError.at(file, headerLine, "the first line gives fold counts and sizes, which "
                                + "must be at least 1: \"" + lines.get(first).trim() + "\"");
                    }
                }
                first++;
            }
        }
        record Raw(int line, Image a, Image b, boolean same) {
        }
        List<Raw> raw = new ArrayList<>();
        for (int i = first; i < lines.size(); i++) {
            String text = lines.get(i).trim();
            if (text.isEmpty()) {
                continue;
            }
            int lineNo = i + 1;
            String[] f = text.split("\\s+");
            if (f.length == 3) {
                raw.add(new Raw(lineNo, new Image(f[0], number(f[1], file, lineNo, text)),
                        new Image(f[0], number(f[2], file, lineNo, text)), true));
            } else if (f.length == 4) {
                if (f[0].equals(f[2])) {
                    throw EvalInputError.at(file, lineNo, "a pair of two people names the same person twice: \"" + text + "\"");
                }
                raw.add(new Raw(lineNo, new Image(f[0], number(f[1], file, lineNo, text)),
                        new Image(f[2], number(f[3], file, lineNo, text)), false));
            } else {
                throw malformed(file, lineNo, text);
            }
        }
        if (raw.isEmpty()) {
            throw new EvalInputError(file + ": no pairs listed");
        }
        boolean[] same = new boolean[raw.size()];
        for (int i = 0; i < raw.size(); i++) {
            same[i] = raw.get(i).same();
        }
        int[] fold;
        int folds;
        String from;
        if (header != null && header.length == 2) {
            folds = header[0];
            int size = header[1];
            if ((long) folds * 2 * size != raw.size()) {
                throw EvalInputError.at(file, headerLine, "the first line says " + folds + " folds of " + size
                        + " same and " + size + " different pairs (" + (long) folds * 2 * size + " pairs), but the file lists "
                        + raw.size());
            }
            fold = new int[raw.size()];
            for (int i = 0; i < raw.size(); i++) {
                fold[i] = i / (2 * size);
            }
            from = "the list's first line: " + folds + " folds of " + size + " same + " + size + " different pairs";
        } else {
            if (header != null && 2L * header[0] != raw.size()) {
                throw EvalInputError.at(file, headerLine, "the first line says " + header[0] + " same and " + header[0]
                        + " different pairs, but the file lists " + raw.size());
            }
            folds = Math.max(2, Math.min(DEFAULT_FOLDS, raw.size()));
            fold = Metrics.stratifiedFolds(same, folds);
            from = folds + " folds dealt round robin (same pairs, then different pairs, in file order)";
        }
        if (folds < 2) {
            throw EvalInputError.at(file, headerLine, "at least 2 folds are needed to choose a threshold on the others");
        }
        List<Pair> pairs = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            Raw r = raw.get(i);
            pairs.add(new Pair(r.line(), r.a(), r.b(), r.same(), fold[i]));
        }
        return new PairsList(file, pairs, folds, from);
    }

    private static boolean allIntegers(String[] fields) {
        for (String f : fields) {
            if (!f.matches("\\d{1,9}")) {
                return false;
            }
        }
        return fields.length > 0;
    }

    private static int number(String field, Path file, int line, String text) {
        if (!field.matches("\\d{1,9}") || Integer.parseInt(field) < 1) {
            throw malformed(file, line, text);
        }
        return Integer.parseInt(field);
    }

    private static EvalInputError malformed(Path file, int line, String text) {
        return EvalInputError.at(file, line, "malformed pair \"" + text + "\": expected 'name i j' (two photos of one person)"
                + " or 'name1 i name2 j' (two people), with photo numbers from 1");
    }
}
