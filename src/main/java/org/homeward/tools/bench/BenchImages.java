package org.homeward.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The photos a benchmark runs on, read in place: a folder of JPEG/PNG, a CSV whose {@code path} column names
 * them (relative to the CSV), by default the FG-NET dev half under the shared data folder, and where none of
 * that exists the two public-domain portraits Debian ships.
 */
public final class BenchImages {

    /** Debian's public-domain portraits (python-matplotlib-data, python3-skimage). */
    public static final List<Path> DEBIAN_PORTRAITS = List.of(
            Path.of("/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"),
            Path.of("/usr/lib/python3/dist-packages/skimage/data/astronaut.png"));

    /** The files chosen, where they came from, and a remark worth printing (or null). */
    public record Selection(List<Path> files, String source, int available, String note) {
    }

    private BenchImages() {
    }

    /** The shared data folder: {@code --data}, else -Dhomeward.data, else $HOMEWARD_DATA, else ../shared/data. */
    public static Path dataDir(String option) {
        if (option != null) {
            return Path.of(option);
        }
        String prop = System.getProperty("homeward.data");
        if (prop != null) {
            return Path.of(prop);
        }
        String env = System.getenv("HOMEWARD_DATA");
        return Path.of(env != null ? env : Path.of("..", "shared", "data").toString());
    }

    /**
     * {@code count} files, spread evenly over what {@code images} (or the default) lists so that every
     * subject of a CSV sorted by subject is represented; repeated in turn where fewer exist.
     */
    public static Selection select(String images, Path dataDir, int count) throws IOException {
        List<Path> all;
        String source;
        String note = null;
        if (images != null) {
            Path p = Path.of(images);
            if (Files.isDirectory(p)) {
                all = listFolder(p);
                source = "folder " + p.toAbsolutePath().normalize();
            } else if (Files.isRegularFile(p) && p.toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                all = listCsv(p);
                source = "CSV " + p.toAbsolutePath().normalize();
            } else {
                throw new IllegalArgumentException("--images " + images + " is neither a folder nor a .csv file");
            }
        } else {
            Path csv = dataDir.resolve("fgnet-dev").resolve("fgnet-dev.csv");
            if (Files.isRegularFile(csv)) {
                all = listCsv(csv);
                source = "FG-NET dev half, " + csv.toAbsolutePath().normalize() + " (research data, read in place)";
            } else {
                all = DEBIAN_PORTRAITS.stream().filter(Files::isRegularFile).toList();
                if (all.isEmpty()) {
                    throw new IllegalArgumentException("no photos: " + csv.toAbsolutePath().normalize() + " is absent and "
                            + "so are Debian's portraits (apt-get install python-matplotlib-data python3-skimage); "
                            + "pass --images DIR_OR_CSV");
                }
                source = "Debian public-domain portraits";
                note = "FG-NET dev data not found at " + csv.toAbsolutePath().normalize()
                        + "; falling back to Debian's public-domain portraits " + all;
            }
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no JPEG or PNG photos in " + source);
        }
        List<Path> chosen = new ArrayList<>(count);
        if (all.size() >= count) {
            for (int i = 0; i < count; i++) {
                chosen.add(all.get((int) ((long) i * all.size() / count)));
            }
        } else {
            for (int i = 0; i < count; i++) {
                chosen.add(all.get(i % all.size()));
            }
            String repeat = "only " + all.size() + " photo(s) available: each is used about "
                    + (count + all.size() - 1) / all.size() + " times";
            note = note == null ? repeat : note + "; " + repeat;
        }
        return new Selection(chosen, source, all.size(), note);
    }

    private static List<Path> listFolder(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(BenchImages::isPhoto).sorted().toList();
        }
    }

    private static boolean isPhoto(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    private static List<Path> listCsv(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty()) {
            return List.of();
        }
        int column = 0;
        int first = 0;
        String[] header = lines.get(0).split(",");
        for (int i = 0; i < header.length; i++) {
            if (header[i].trim().equalsIgnoreCase("path")) {
                column = i;
                first = 1;
            }
        }
        Path base = csv.toAbsolutePath().getParent();
        List<Path> out = new ArrayList<>();
        for (String line : lines.subList(first, lines.size())) {
            String[] f = line.split(",");
            if (f.length > column && !f[column].isBlank()) {
                Path p = base.resolve(f[column].trim());
                if (isPhoto(p) && Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
