package org.homeward.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval tracing --projections} refuses what it cannot evaluate before any photo is processed, exit code 2. */
class ProjectionTracingInputTest {

    @TempDir
    Path dir;

    private String refused(String... args) throws Exception {
        for (String f : List.of("a1.jpg", "a2.jpg")) {
            Files.write(dir.resolve(f), new byte[] {1});
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("tracing", "--projections"));
        all.addAll(List.of(args));
        int code = EvalEndToEndTest.eval(new ByteArrayOutputStream(), err, all.toArray(String[]::new));
        assertEquals(2, code, err.toString(StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path csv(String... lines) throws IOException {
        Path file = dir.resolve("m.csv");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void aListWithoutLandmarkPointsCannotBuildPrototypes() throws Exception {
        Path m = csv("path,identity,age", "a1.jpg,ann,4", "a2.jpg,ann,30");
        String err = refused("--manifest", m.toString());
        assertTrue(err.contains("must name the columns path, identity, age and points"), err);
    }

    @Test
    void badAppearanceWeightsAndFoldsAreNamed() throws Exception {
        Path m = csv("path,identity,age,points", "a1.jpg,ann,4,x.pts", "a2.jpg,ann,30,y.pts");
        assertTrue(refused("--manifest", m.toString(), "--appearance", "0,3").contains("--appearance must be between 0 and 2, not 3"));
        assertTrue(refused("--manifest", m.toString(), "--folds", "1").contains("--folds must be at least 2"));
        assertTrue(refused("--manifest", m.toString(), "--projection-ages", "10,old").contains("--projection-ages"));
    }
}
