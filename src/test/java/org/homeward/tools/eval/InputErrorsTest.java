package org.homeward.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifests and pairs lists that cannot be evaluated are refused before any photo is processed, with a message
 * naming the file and line, and the command exits with 2. No models and no photos are needed: the files are
 * empty stand-ins.
 */
class InputErrorsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void photos() throws IOException {
        Files.createDirectories(dir.resolve("img/ann"));
        Files.createDirectories(dir.resolve("img/bob"));
        for (String f : List.of("a1.jpg", "a2.jpg", "b1.jpg", "b2.jpg", "img/ann/ann_0001.jpg", "img/ann/ann_0002.jpg",
                "img/bob/bob_0001.jpg")) {
            Files.write(dir.resolve(f), new byte[] {1});
        }
    }

    private Path csv(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    private EvalInputError refused(Path manifest) {
        return assertThrows(EvalInputError.class, () -> Manifest.read(manifest, true));
    }

    @Test
    void aMissingFileIsNamedWithItsLine() throws IOException {
        Path m = csv("m.csv", "path,identity,age", "a1.jpg,ann,4", "gone.jpg,ann,30");
        EvalInputError e = refused(m);
        assertTrue(e.getMessage().startsWith(m + " line 3: missing file gone.jpg"), e.getMessage());
    }

    @Test
    void aBadAgeIsNamedWithItsLine() throws IOException {
        for (String age : List.of("four", "-3", "", "200", "NaN")) {
            Path m = csv("m.csv", "path,identity,age,points", "a1.jpg,ann,4,x", "a2.jpg,ann," + age + ",y");
            EvalInputError e = refused(m);
            assertTrue(e.getMessage().startsWith(m + " line 3: bad age '" + age + "'"), e.getMessage());
        }
    }

    @Test
    void anEmptyIdentityIsNamedWithItsLine() throws IOException {
        Path m = csv("m.csv", "path,identity,age", "a1.jpg,ann,4", "", "b1.jpg, ,30");
        EvalInputError e = refused(m);
        assertTrue(e.getMessage().startsWith(m + " line 4: the identity is empty"), e.getMessage());
    }

    @Test
    void aMissingColumnOrShortRowIsNamed() throws IOException {
        EvalInputError e = refused(csv("m.csv", "path,person,age", "a1.jpg,ann,4"));
        assertTrue(e.getMessage().contains("line 1: no 'identity' column"), e.getMessage());
        e = refused(csv("m.csv", "path,identity,age", "a1.jpg,ann"));
        assertTrue(e.getMessage().contains("line 2: 2 field(s)"), e.getMessage());
        e = refused(csv("m.csv", "path,identity"));
        assertTrue(e.getMessage().contains("line 1: no 'age' column"), e.getMessage());
    }

    @Test
    void quotedFieldsAndOtherColumnsAreRead() throws IOException {
        Manifest m = Manifest.read(csv("m.csv", "age,note,identity,path", "4,\"a, b\",ann,a1.jpg", "31,\"x\"\"y\",ann,\"a2.jpg\""),
                true);
        assertEquals(2, m.photos().size());
        assertEquals(31.0, m.photos().get(1).age());
        assertEquals(dir.resolve("a2.jpg"), m.photos().get(1).file());
        assertEquals(3, m.photos().get(1).line());
        assertEquals(List.of("a", "x\"y", ""), Manifest.splitCsv("a,\"x\"\"y\","));
    }

    @Test
    void aProtocolWithAnEmptyClassIsRefused() throws IOException {
        Manifest noChild = Manifest.read(csv("m.csv", "path,identity,age", "a1.jpg,ann,20", "b1.jpg,bob,30"), true);
        EvalInputError e = assertThrows(EvalInputError.class, () -> Tracing.of(noChild, null, 12, 18));
        assertTrue(e.getMessage().contains("no identity has a photo at age <= 12"), e.getMessage());
        Manifest noAdult = Manifest.read(csv("m.csv", "path,identity,age", "a1.jpg,ann,2", "b1.jpg,bob,30"), true);
        e = assertThrows(EvalInputError.class, () -> Tracing.of(noAdult, null, 12, 18));
        assertTrue(e.getMessage().contains("no probe"), e.getMessage());
    }

    @Test
    void casesAndProbesFollowTheAges() throws IOException {
        Manifest m = Manifest.read(csv("m.csv", "path,identity,age", "a1.jpg,ann,2", "a2.jpg,ann,25", "b1.jpg,bob,15",
                "b2.jpg,bob,40"), true);
        Manifest d = Manifest.read(csv("d.csv", "path,identity", "b1.jpg,ann"), false);
        Tracing t = Tracing.of(m, d, 12, 18);
        assertEquals(List.of("ann", "distractor:ann"), List.copyOf(t.cases().keySet()));
        assertEquals(1, t.probes().size(), "bob has no childhood photo, so his adult photo is no probe");
        assertEquals(1, t.distractorCases());
    }

    @Test
    void malformedPairsLinesAreNamed() throws IOException {
        for (String bad : List.of("ann 1", "ann x 2", "ann 1 bob 2 3", "ann 0 1", "ann 1 ann 2")) {
            Path p = csv("p.txt", "ann 1 2", bad);
            EvalInputError e = assertThrows(EvalInputError.class, () -> PairsList.read(p));
            assertTrue(e.getMessage().startsWith(p + " line 2: "), e.getMessage());
        }
    }

    @Test
    void theFirstLineGivesFolds() throws IOException {
        PairsList list = PairsList.read(csv("p.txt", "2\t1", "ann\t1\t2", "ann\t1\tbob\t1", "bob\t1\t2", "bob\t2\tann\t2"));
        assertEquals(2, list.folds());
        assertEquals(List.of(0, 0, 1, 1), list.pairs().stream().map(PairsList.Pair::fold).toList());
        assertEquals(List.of(true, false, true, false), list.pairs().stream().map(PairsList.Pair::same).toList());
        assertEquals(3, list.pairs().get(1).line());
        Path wrong = csv("p.txt", "10 300", "ann 1 2");
        EvalInputError e = assertThrows(EvalInputError.class, () -> PairsList.read(wrong));
        assertTrue(e.getMessage().startsWith(wrong + " line 1: "), e.getMessage());
        PairsList noHeader = PairsList.read(csv("p.txt", "ann 1 2", "ann 1 bob 1"));
        assertEquals(2, noHeader.folds(), "no more folds than pairs");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            many.add("ann 1 2");
        }
        assertEquals(10, PairsList.parse(Path.of("many"), many).folds());
    }

    @Test
    void aPairsPhotoThatIsNotThereIsNamed() throws IOException {
        Path p = csv("p.txt", "ann 1 2", "ann 2 bob 3");
        PairsList list = PairsList.read(p);
        EvalInputError e = assertThrows(EvalInputError.class, () -> Verification.resolveLfw(list, dir.resolve("img")));
        assertTrue(e.getMessage().startsWith(p + " line 2: missing file bob/bob_0003.jpg"), e.getMessage());
        Manifest m = Manifest.read(csv("m.csv", "path,identity,age", "a1.jpg,ann,2", "a2.jpg,ann,25", "b1.jpg,bob,3"), true);
        e = assertThrows(EvalInputError.class, () -> Verification.resolveManifest(list, m));
        assertTrue(e.getMessage().startsWith(p + " line 2: 'bob' has 1 photo(s)"), e.getMessage());
    }

    @Test
    void theCommandExitsWith2AndSaysWhy() throws Exception {
        Path m = csv("m.csv", "path,identity,age", "a1.jpg,ann,4", "a2.jpg,ann,old");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, EvalEndToEndTest.eval(out, err, "tracing", "--manifest", m.toString()));
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertTrue(stderr.startsWith("error: " + m + " line 3: bad age 'old'"), stderr);
        assertTrue(stderr.contains("Usage: deploy/homeward eval tracing"), stderr);
        assertEquals("", out.toString(StandardCharsets.UTF_8));

        err.reset();
        Path p = csv("p.txt", "ann 1 2", "ann one 2");
        assertEquals(2, EvalEndToEndTest.eval(out, err, "pairs", "--pairs", p.toString(), "--images-root",
                dir.resolve("img").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: " + p + " line 2: malformed pair"));

        err.reset();
        assertEquals(2, EvalEndToEndTest.eval(out, err, "tracing", "--manifest", m.toString(), "--bogus", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: Unknown options: '--bogus', '1'"), err.toString());
        err.reset();
        assertEquals(2, EvalEndToEndTest.eval(out, err, "pairs", "--pairs", p.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--images-root"));
        err.reset();
        assertEquals(2, EvalEndToEndTest.eval(out, err, "tracing", "--manifest", m.toString(), "--raw", "--transform", "x"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: " + m + " line 3"), "the manifest is read first");
    }

    @Test
    void badValuesAreRefusedNamingTheOption() throws Exception {
        Path m = csv("m.csv", "path,identity,age", "a1.jpg,ann,4", "a2.jpg,ann,30");
        for (List<String> bad : List.of(List.of("--child-max-age", "200"), List.of("--child-max-age", "young"),
                List.of("--device", "tpu"), List.of("--aggregation", "soft-max:0"), List.of("--max-yaw", "3"),
                List.of("--cohort-norm", "median"))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            List<String> args = new ArrayList<>(List.of("tracing", "--manifest", m.toString()));
            args.addAll(bad);
            assertEquals(2, EvalEndToEndTest.eval(new ByteArrayOutputStream(), err, args.toArray(String[]::new)), bad.toString());
            String stderr = err.toString(StandardCharsets.UTF_8);
            assertTrue(stderr.startsWith("error: ") && stderr.lines().findFirst().orElseThrow().contains(bad.get(0)), stderr);
        }
    }

    @Test
    void childAdultPairsAreBalancedAndNumberedByTheManifest() throws IOException {
        Manifest m = Manifest.read(csv("m.csv", "path,identity,age", "a1.jpg,ann,2", "a2.jpg,ann,25", "b1.jpg,bob,3",
                "b2.jpg,bob,40"), true);
        List<String> lines = MakePairs.childAdult(m, 12, 18, 1);
        assertEquals(List.of("ann\t1\t2", "bob\t1\t2", "ann\t1\tbob\t2", "bob\t1\tann\t2"), lines);
        PairsList list = PairsList.parse(Path.of("made"), lines);
        List<Verification.ResolvedPair> pairs = Verification.resolveManifest(list, m);
        assertEquals(dir.resolve("b2.jpg"), pairs.get(2).b().file());
        assertEquals(40.0, pairs.get(2).b().age());
        assertEquals(6, MakePairs.all(m).size());
    }

    @Test
    void helpAfterAProtocolPrintsTheUsageInsteadOfAnError() throws Exception {
        for (List<String> args : List.of(List.of("--help"), List.of("tracing", "--help"), List.of("scale", "-h"),
                List.of("tracing", "--manifest", "gone.csv", "--help"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = EvalEndToEndTest.eval(out, err, args.toArray(String[]::new));
            assertEquals(0, rc, args + ": " + err);
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: deploy/homeward eval"), args.toString());
            assertEquals("", err.toString(StandardCharsets.UTF_8), args + " prints no error");
        }
    }
}
