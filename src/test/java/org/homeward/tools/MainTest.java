package org.homeward.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line of the tools beside the server: generated help at every level, and bad input refused with exit
 * code 2 and a message naming the option, before anything is loaded. Needs no models, data or database.
 */
class MainTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyLevelPrintsItsHelp() {
        assertHelp(List.of("--help"), "eval", "bench", "projections", "models", "audit", "store");
        assertHelp(List.of("eval", "--help"), "tracing", "pairs", "make-pairs", "cv", "scale", "calibrate");
        assertHelp(List.of("eval", "tracing", "--help"), "--manifest", "--distractors", "--child-max-age", "--projections",
                "--aggregation", "--models", "--cache", "--no-cache", "--device", "--raw", "--transform", "--flip");
        assertHelp(List.of("bench", "pipeline", "--help"), "--images", "--count", "--warmup", "--threads", "--device",
                "--models");
        assertHelp(List.of("bench", "search", "-h"), "--faces", "--ef-search", "--keep-db", "--maintenance-work-mem");
        assertHelp(List.of("projections", "build-prototypes", "--help"), "--data", "--out", "--appearance", "--texture");
        assertHelp(List.of("projections", "ageing", "--help"), "--folds", "--ages", "--appearance", "--texture", "--models");
        assertHelp(List.of("projections", "contact-sheet", "--help"), "--people", "--ages", "--prototypes", "--models");
    }

    private static void assertHelp(List<String> args, String... names) {
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), args + ": " + r.err());
        assertTrue(r.out().startsWith("Usage: deploy/homeward"), r.out());
        for (String name : names) {
            assertTrue(r.out().contains(name), args + " does not name " + name + ":\n" + r.out());
        }
        assertEquals("", r.err(), args + " prints no error");
    }

    @Test
    void theHelpShowsTheDefaults() {
        String help = run("eval", "tracing", "--help").out();
        assertTrue(help.contains("Default: 12.0") && help.contains("Default: auto"), help);
        assertTrue(run("bench", "pipeline", "--help").out().contains("Default: cpu"));
    }

    @Test
    void anUnknownOptionOrABadValueExitsWith2NamingIt() {
        assertRefused(List.of("bench", "pipeline", "--bogus", "1"), "Unknown options: '--bogus', '1'");
        assertRefused(List.of("bench", "pipeline", "--device", "tpu"), "Invalid value for option '--device'");
        assertRefused(List.of("bench", "pipeline", "--count", "0"), "--count must be at least 1, not 0");
        assertRefused(List.of("bench", "pipeline", "--count"), "Missing required parameter for option '--count'");
        assertRefused(List.of("projections", "build-prototypes", "--appearance", "strong"),
                "Invalid value for option '--appearance'");
        assertRefused(List.of("projections", "contact-sheet"), "Missing required option: '--out");
        assertRefused(List.of("projections", "ageing", "--texture", "3"), "--texture must be between 0 and 2, not 3");
        assertRefused(List.of("projections", "ageing", "--folds", "1"), "--folds must be between 2 and 20, not 1");
        assertRefused(List.of("eval", "pairs", "--pairs"), "Missing required parameter for option '--pairs'");
        assertRefused(List.of("eval"), "Missing required subcommand");
        assertRefused(List.of(), "Missing required subcommand");
    }

    private static void assertRefused(List<String> args, String message) {
        Run r = run(args.toArray(String[]::new));
        assertEquals(2, r.code(), args + ": " + r.err());
        assertTrue(r.err().startsWith("error: " + message), args + ":\n" + r.err());
        assertTrue(r.err().contains("Usage: deploy/homeward"), "the usage follows: " + r.err());
        assertEquals("", r.out());
    }

    @Test
    void aMissingModelBundleExitsWith1() throws IOException {
        Files.write(dir.resolve("a.jpg"), new byte[] {1});
        Files.write(dir.resolve("b.jpg"), new byte[] {1});
        Path manifest = dir.resolve("m.csv");
        Files.writeString(manifest, "path,identity,age\na.jpg,ann,4\nb.jpg,ann,30\n");
        Run r = run("eval", "tracing", "--manifest", manifest.toString(), "--models", dir.resolve("no-bundle").toString(),
                "--no-cache");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
    }
}
