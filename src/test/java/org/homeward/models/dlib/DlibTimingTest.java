package org.homeward.models.dlib;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.homeward.faces.FaceBox;
import org.homeward.faces.Landmarks;
import org.junit.jupiter.api.Test;

/** Prints how long detection, landmarks, chips and embedding take on this machine (informational, nothing asserted). */
class DlibTimingTest {

    @Test
    void printTimings() {
        MmodFaceDetector det = DlibFixtures.detector();
        ShapePredictor5 sp = DlibFixtures.predictor();
        DlibFaceEmbedder emb = DlibFixtures.embedder();
        for (String name : List.of("astronaut.json", "grace_hopper.json", "coffee.json")) {
            JsonNode fx = DlibFixtures.fixture(name);
            BufferedImage img = DlibFixtures.image(fx);
            det.detect(img); // warm-up
            long t0 = System.nanoTime();
            int runs = 3;
            for (int i = 0; i < runs; i++) {
                det.detect(img);
            }
            System.out.printf("dlib timing: detect %dx%d: %.0f ms%n", img.getWidth(), img.getHeight(),
                    (System.nanoTime() - t0) / 1e6 / runs);
        }
        JsonNode fx = DlibFixtures.fixture("grace_hopper.json");
        BufferedImage img = DlibFixtures.image(fx);
        JsonNode face = fx.path("faces").get(0);
        FaceBox box = DlibFixtures.box(face.path("box"), 1f);
        for (int i = 0; i < 50; i++) {
            sp.predict(img, box);
        }
        long t0 = System.nanoTime();
        int runs = 200;
        Landmarks lm = null;
        for (int i = 0; i < runs; i++) {
            lm = sp.predict(img, box);
        }
        System.out.printf("dlib timing: landmarks: %.3f ms%n", (System.nanoTime() - t0) / 1e6 / runs);
        for (int i = 0; i < 10; i++) {
            emb.chip(img, lm);
        }
        t0 = System.nanoTime();
        float[] chip = null;
        for (int i = 0; i < runs; i++) {
            chip = emb.chip(img, lm);
        }
        System.out.printf("dlib timing: chip (face %d px, pyramid_down used): %.3f ms%n", box.width(),
                (System.nanoTime() - t0) / 1e6 / runs);
        for (int n : new int[] {1, 8}) {
            List<float[]> batch = new ArrayList<>(Collections.nCopies(n, chip));
            emb.embed(batch); // warm-up
            t0 = System.nanoTime();
            int reps = 3;
            for (int i = 0; i < reps; i++) {
                emb.embed(batch);
            }
            System.out.printf("dlib timing: embed batch %d: %.0f ms (%.0f ms per chip)%n", n,
                    (System.nanoTime() - t0) / 1e6 / reps, (System.nanoTime() - t0) / 1e6 / reps / n);
        }
    }
}
