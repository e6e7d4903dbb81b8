package org.homeward.models.dlib;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.homeward.models.FaceBox;
import org.homeward.models.Landmarks;
import org.junit.jupiter.api.Test;

/** Prints how long detection, landmarks, chips and embedding take on this machine (informational, nothing asserted). */
class DlibTimingTest {

    @Test
    void printTimings() {
        long load = System.nanoTime();
        MmodFaceDetector det = DlibFixtures.detector();
        ShapePredictor5 sp = DlibFixtures.predictor();
        DlibFaceEmbedder emb = DlibFixtures.embedder();
        System.out.printf("dlib timing: loading the three models (first use in this JVM, checksums included): %.0f ms%n",
                (System.nanoTime() - load) / 1e6);
        long spLoad = System.nanoTime();
        new ShapePredictor5(DlibFixtures.modelsDir().resolve(DlibFixtures.PREDICTOR).resolve(ShapePredictor5.FILE));
        System.out.printf("dlib timing: reading shape_predictor_5.json again: %.0f ms%n", (System.nanoTime() - spLoad) / 1e6);
        for (String name : List.of("astronaut.json", "grace_hopper.json", "coffee.json")) {
            JsonNode fx = DlibFixtures.fixture(name);
            BufferedImage img = DlibFixtures.image(fx);
            det.detect(img); // warm-up
            long t0 = System.nanoTime();
            int runs = 3;
            for (int i = 0; i < runs; i++) {
                det.detect(img);
            }
            double detectMs = (System.nanoTime() - t0) / 1e6 / runs;
            t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                TiledPyramid.build(img, 10, 11, new float[] {122.782f, 117.001f, 104.298f});
            }
            System.out.printf("dlib timing: detect %dx%d: %.0f ms (of which the tiled pyramid %.0f ms)%n", img.getWidth(),
                    img.getHeight(), detectMs, (System.nanoTime() - t0) / 1e6 / runs);
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
        System.out.printf("dlib timing: chip (face box %d px, no pyramid_down): %.3f ms%n", box.width(),
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
