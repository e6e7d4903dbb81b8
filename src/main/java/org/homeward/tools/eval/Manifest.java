package org.homeward.tools.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CSV list of photos: a header naming at least the columns {@code path} and {@code identity} (and
 * {@code age}, in years, where the protocol needs it); other columns are ignored. Paths are relative to the
 * CSV's folder. Every problem is reported with the file and line, before any photo is processed.
 */
public final class Manifest {

    /** One photo: its line in the CSV (1 = header), file, path as written, person, and age (null when absent). */
    public record Photo(int line, Path file, String path, String identity, Double age) {
    }

    static final double MAX_AGE = 150;

    private final Path csv;
    private final List<Photo> photos;
    private final Map<String, List<Photo>> byIdentity;

    private Manifest(Path csv, List<Photo> photos) {
        this.csv = csv;
        this.photos = Collections.unmodifiableList(photos);
        Map<String, List<Photo>> grouped = new LinkedHashMap<>();
        for (Photo p : photos) {
            grouped.computeIfAbsent(p.identity(), k -> new ArrayList<>()).add(p);
        }
        this.byIdentity = Collections.unmodifiableMap(grouped);
    }

    public Path csv() {
        return csv;
    }

    public List<Photo> photos() {
        return photos;
    }

    /** The photos of each identity, in the CSV's order; identities in order of first appearance. */
    public Map<String, List<Photo>> byIdentity() {
        return byIdentity;
    }

    /**
     * Reads and checks the CSV: the header, every row's field count, path (the file must exist), identity
     * (not empty) and, when {@code ageRequired}, age (a number of years from 0 to 150).
     */
    public static Manifest read(Path csv, boolean ageRequired) {
        return read(csv, ageRequired, null);
    }

    /**
     * As {@link #read(Path, boolean)}, keeping only the rows whose {@code group} column equals {@code group} (null:
     * every row); lag-train's group is {@code young} or {@code adult}.
     */
    public static Manifest read(Path csv, boolean ageRequired, String group) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EvalInputError(csv + ": cannot read the manifest (" + e.getMessage() + ")");
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw EvalInputError.at(csv, 1, "no header; expected columns path,identity" + (ageRequired ? ",age" : ""));
        }
        String headerLine = lines.get(0);
        if (headerLine.startsWith("\uFEFF")) {
            headerLine = headerLine.substring(1);
        }
        List<String> header;
        try {
            header = splitCsv(headerLine);
        } catch (IllegalArgumentException e) {
            throw EvalInputError.at(csv, 1, e.getMessage());
        }
        int pathCol = column(header, "path", csv);
        int identityCol = column(header, "identity", csv);
        int ageCol = header.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList().indexOf("age");
        if (ageRequired && ageCol < 0) {
            throw EvalInputError.at(csv, 1, "no 'age' column in the header (found: " + String.join(",", header)
                    + "); this protocol needs each photo's age in years");
        }
        int groupCol = header.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList().indexOf("group");
        if (group != null && groupCol < 0) {
            throw EvalInputError.at(csv, 1, "no 'group' column in the header (found: " + String.join(",", header)
                    + "), so the photos of group '" + group + "' cannot be chosen");
        }
        Path folder = csv.toAbsolutePath().getParent();
        List<Photo> photos = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            List<String> f;
            try {
                f = splitCsv(line);
            } catch (IllegalArgumentException e) {
                throw EvalInputError.at(csv, lineNo, e.getMessage());
            }
            int needed = Math.max(pathCol, Math.max(identityCol, ageRequired ? ageCol : -1)) + 1;
            if (f.size() < needed) {
                throw EvalInputError.at(csv, lineNo, f.size() + " field(s), but the header puts '"
                        + header.get(needed - 1).trim() + "' in column " + needed + ": \"" + line + "\"");
            }
            if (group != null && !(groupCol < f.size() && group.equals(f.get(groupCol).trim()))) {
                continue;
            }
            String path = f.get(pathCol).trim();
            if (path.isEmpty()) {
                throw EvalInputError.at(csv, lineNo, "the path is empty");
            }
            Path file = folder.resolve(path).normalize();
            if (!Files.isRegularFile(file)) {
                throw EvalInputError.at(csv, lineNo, "missing file " + path + " (looked for " + file + ")");
            }
            String identity = f.get(identityCol).trim();
            if (identity.isEmpty()) {
                throw EvalInputError.at(csv, lineNo, "the identity is empty (each photo needs the person it shows): \""
                        + line + "\"");
            }
            String ageText = ageCol >= 0 && ageCol < f.size() ? f.get(ageCol).trim() : "";
            Double age = null;
            if (!ageText.isEmpty() || ageRequired) {
                age = parseAge(ageText);
                if (age == null) {
                    throw EvalInputError.at(csv, lineNo, "bad age '" + ageText
                            + "' (expected the age in years shown on the photo, a number from 0 to " + (int) MAX_AGE + ")");
                }
            }
            photos.add(new Photo(lineNo, file, path, identity, age));
        }
        if (photos.isEmpty()) {
            throw new EvalInputError(csv + ": no photos listed under the header");
        }
        return new Manifest(csv, photos);
    }

    private static Double parseAge(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            double age = Double.parseDouble(text);
            return Double.isFinite(age) && age >= 0 && age <= MAX_AGE ? age : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int column(List<String> header, String name, Path csv) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).trim().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw EvalInputError.at(csv, 1, "no '" + name + "' column in the header (found: " + String.join(",", header) + ")");
    }

    /** One CSV record (RFC 4180: fields may be quoted, with "" for a quote inside). */
    static List<String> splitCsv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.toString().isBlank()) {
                field.setLength(0);
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c != '\r') {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("a quoted field is not closed");
        }
        fields.add(field.toString());
        return fields;
    }
}
