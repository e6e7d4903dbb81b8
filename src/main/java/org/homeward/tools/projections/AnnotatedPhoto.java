package org.homeward.tools.projections;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.homeward.photos.ImageDecoder;

/**
 * A photo with its person, age and hand-placed landmark points (FG-NET's 68-point .pts files): what the age
 * prototypes are built from. {@code points} holds x0, y0, x1, y1, ... in photo pixels.
 */
public record AnnotatedPhoto(Path image, String identity, double age, double[] points) {

    /** The app's default pixel limit (homeward.photos.max-pixels): research photos are decoded as uploads are. */
    private static final long MAX_PIXELS = 50_000_000L;

    /** FG-NET's 68-point scheme: which points are dlib's five landmarks, in dlib's order. */
    public static final int[] FGNET_FIVE = {32, 34, 27, 29, 41};

    /**
     * Reads a manifest CSV with the columns path, identity, age, points (paths relative to the CSV's folder),
     * as ../shared/data/fgnet-dev/fgnet-dev.csv has them. A malformed line is an error naming it.
     */
    /** The photos by person, people in the order of their first photo. */
    public static Map<String, List<AnnotatedPhoto>> byPerson(List<AnnotatedPhoto> photos) {
        Map<String, List<AnnotatedPhoto>> out = new LinkedHashMap<>();
        photos.forEach(p -> out.computeIfAbsent(p.identity(), k -> new ArrayList<>()).add(p));
        return out;
    }

    public static List<AnnotatedPhoto> readCsv(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(csv + " is empty");
        }
        List<String> header = List.of(lines.get(0).trim().split(","));
        int path = header.indexOf("path");
        int identity = header.indexOf("identity");
        int age = header.indexOf("age");
        int points = header.indexOf("points");
        if (path < 0 || identity < 0 || age < 0 || points < 0) {
            throw new IllegalArgumentException(csv + ": the header must name the columns path, identity, age and points"
                    + " (FG-NET's annotated list), not '" + lines.get(0) + "'");
        }
        Path root = csv.toAbsolutePath().getParent();
        List<AnnotatedPhoto> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",");
            String where = csv + " line " + (i + 1);
            if (f.length <= Math.max(Math.max(path, identity), Math.max(age, points))) {
                throw new IllegalArgumentException(where + ": too few columns");
            }
            double years;
            try {
                years = Double.parseDouble(f[age]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": age '" + f[age] + "' is not a number");
            }
            out.add(new AnnotatedPhoto(root.resolve(f[path]), f[identity], years, readPts(root.resolve(f[points]), where)));
        }
        return out;
    }

    /** An ASCII .pts file: a header, then "{", one "x y" line per point, "}"; x0, y0, x1, ... */
    public static double[] readPts(Path file, String where) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": cannot read the points file " + file);
        }
        List<Double> values = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            String t = line.trim();
            if (t.startsWith("{")) {
                inside = true;
            } else if (t.startsWith("}")) {
                break;
            } else if (inside && !t.isEmpty()) {
                String[] xy = t.split("\\s+");
                try {
                    values.add(Double.parseDouble(xy[0]));
                    values.add(Double.parseDouble(xy[1]));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(where + ": " + file + " has a malformed point line '" + t + "'");
                }
            }
        }
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /** The five landmarks among the points, x0, y0, ... */
    double[] five(int[] indices) {
        double[] out = new double[2 * indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[2 * i] = points[2 * indices[i]];
            out[2 * i + 1] = points[2 * indices[i] + 1];
        }
        return out;
    }

    /** The photo, decoded as the app decodes an upload (orientation, colour), as RGB. */
    public BufferedImage read() {
        return decode(image);
    }

    /** A photo file decoded as the app decodes an upload; what the app would refuse throws its PhotoRejected. */
    static BufferedImage decode(Path file) {
        try {
            return ImageDecoder.decode(Files.readAllBytes(file), MAX_PIXELS).rgb();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
