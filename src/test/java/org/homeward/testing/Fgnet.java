package org.homeward.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.homeward.tools.projections.AnnotatedPhoto;

/**
 * The FG-NET dev half in ../shared/data (research data: read in place, never copied). Tests that need it
 * skip with a printed reason where it is absent.
 */
public final class Fgnet {

    public static final Path ROOT = Path.of(System.getProperty("homeward.data",
            Path.of("..", "shared", "data").toString())).resolve("fgnet-dev");

    /** One annotated photo: file, person, age, and the 68 annotated points (FG-NET's own numbering). */
    public record Photo(Path path, String identity, int age, double[][] points) {

        /** dlib's five points from the annotation: image-right eye outer, inner; image-left eye outer, inner; subnasale. */
        public double[][] dlibFive() {
            int[] index = {32, 34, 27, 29, 41};
            double[][] five = new double[5][];
            for (int i = 0; i < 5; i++) {
                five[i] = points[index[i]];
            }
            return five;
        }

        /** Distance between the annotated eye centres (mean of each eye's four outline points). */
        public double interOcular() {
            double lx = (points[27][0] + points[28][0] + points[29][0] + points[30][0]) / 4;
            double ly = (points[27][1] + points[28][1] + points[29][1] + points[30][1]) / 4;
            double rx = (points[32][0] + points[33][0] + points[34][0] + points[35][0]) / 4;
            double ry = (points[32][1] + points[33][1] + points[34][1] + points[35][1]) / 4;
            return Math.hypot(lx - rx, ly - ry);
        }
    }

    private Fgnet() {
    }

    public static boolean present() {
        boolean here = Files.isRegularFile(ROOT.resolve("fgnet-dev.csv"));
        if (!here) {
            System.out.println("SKIPPED: FG-NET dev data not found at " + ROOT.toAbsolutePath()
                    + " (research data, read from ../shared/data; CI has it)");
        }
        return here;
    }

    public static List<Photo> photos() {
        try {
            List<String> lines = Files.readAllLines(ROOT.resolve("fgnet-dev.csv"));
            List<Photo> photos = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                photos.add(new Photo(ROOT.resolve(f[0]), f[1], Integer.parseInt(f[2]), readPoints(ROOT.resolve(f[3]))));
            }
            return photos;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[][] readPoints(Path file) {
        double[] flat = AnnotatedPhoto.readPts(file, file.toString());
        double[][] points = new double[flat.length / 2][];
        for (int i = 0; i < points.length; i++) {
            points[i] = new double[] {flat[2 * i], flat[2 * i + 1]};
        }
        return points;
    }
}
