package org.homeward.tools.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.homeward.faces.pipeline.QualityGate;
import org.homeward.models.FaceEmbedder;
import org.homeward.models.Landmarks;
import org.homeward.photos.ImageDecoder;
import org.homeward.projections.ProjectionVectors;
import org.homeward.projections.ageing.AgeProjector;
import org.homeward.projections.ageing.PrototypeProjector;
import org.homeward.projections.imaging.ProjectionFrame;
import org.homeward.tools.projections.AnnotatedPhoto;
import org.homeward.tools.projections.ProjectionsCommand;
import org.homeward.tools.projections.PrototypeBuilder;

/**
 * {@code eval scale --projections}: every case photo of every fold (fgnet-dev's children and lag-train's young
 * people alike) projected as the app would, with age prototypes built from fgnet-dev without the fold's people
 * (lag-train has no annotated shapes to build them from). The app's rules decide which faces are projected: at least
 * {@link #MIN_INTER_OCULAR} px between the eyes and a yaw within {@link #MAX_YAW} (the defaults of
 * {@code homeward.projections}), unless every face is asked for; each to the ages that {@link #targets} gives. A
 * lag-train photo has no age: it is projected from the age the protocol gives its young group. Each projection's vectors become a
 * sample of their own, keyed by a path of the photo's with the age appended, so the protocol's transform and cohort
 * read them like any photo.
 */
final class ScaleProjections {

    /** The app's defaults (homeward.projections.min-inter-ocular and max-yaw). */
    static final double MIN_INTER_OCULAR = 32;
    static final double MAX_YAW = 0.3;

    /** One projection of a case photo: its sample's key and the age it shows. */
    record Ref(Path key, double age) {
    }

    private final Map<Path, List<Ref>> byPhoto;
    private final Map<Path, TransformRecipe.Sample> samples;
    private final int refused;

    private ScaleProjections(Map<Path, List<Ref>> byPhoto, Map<Path, TransformRecipe.Sample> samples, int refused) {
        this.byPhoto = byPhoto;
        this.samples = samples;
        this.refused = refused;
    }

    /** The projections of a case photo (none when the app would not project it). */
    List<Ref> of(Path photo) {
        return byPhoto.getOrDefault(photo, List.of());
    }

    /** Every projection's vectors as a sample, by its key. */
    Map<Path, TransformRecipe.Sample> samples() {
        return samples;
    }

    String summary() {
        return String.format(Locale.ROOT, "%d case photos projected (%d projections), %d refused by the app's rules (eyes %.0f"
                + " px apart at least, yaw within %.1f)", byPhoto.size(), samples.size(), refused, MIN_INTER_OCULAR, MAX_YAW);
    }

    /** The target ages of a photo at {@code age}: those of {@code ages} more than 2 years above it. */
    static List<Double> targets(List<Double> ages, double age) {
        return ages.stream().filter(a -> a > age + 2).toList();
    }

    static ScaleProjections draw(List<ScaleProtocol.Photo> casePhotos, Map<String, Integer> foldOf, int folds,
            Map<Path, PhotoEmbeddings.Face> faces, List<AnnotatedPhoto> annotated, FaceEmbedder embedder, List<Double> ages,
            boolean appRules, PrintStream err) throws IOException {
        Map<Path, List<Ref>> byPhoto = new LinkedHashMap<>();
        Map<Path, TransformRecipe.Sample> samples = new HashMap<>();
        int refused = 0;
        long start = System.nanoTime();
        for (int k = 0; k < folds; k++) {
            int fold = k;
            Set<String> held = foldOf.entrySet().stream().filter(e -> e.getValue() == fold).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            List<AnnotatedPhoto> training = annotated.stream().filter(a -> !held.contains(a.identity())).toList();
            PrototypeProjector projector = new PrototypeProjector(PrototypeBuilder.build(training, ProjectionFrame.DEFAULT,
                    PrototypeBuilder.Rules.DEFAULT), "cv", "cv", ProjectionsCommand.DEFAULT_WEIGHTS);
            List<ScaleProtocol.Photo> inFold = casePhotos.stream().filter(p -> foldOf.get(p.identity()) == fold).toList();
            err.printf(Locale.ROOT, "[eval] fold %d/%d: projecting %d case photos with prototypes from %d fgnet-dev photos of"
                    + " the other folds%n", k + 1, folds, inFold.size(), training.size());
            int done = 0;
            for (ScaleProtocol.Photo p : inFold) {
                PhotoEmbeddings.Face face = faces.get(p.file());
                done++;
                if (face == null || !face.found() || face.landmarks() == null) {
                    continue;
                }
                Landmarks l = Landmarks.of(face.landmarks());
                List<Double> targets = targets(ages, p.age());
                if (appRules && (l.interOcular() < MIN_INTER_OCULAR || Math.abs(QualityGate.yaw(l)) > MAX_YAW)) {
                    refused++;
                    continue;
                }
                if (targets.isEmpty()) {
                    continue;
                }
                BufferedImage image = ImageDecoder.decode(Files.readAllBytes(p.file()), PhotoEmbeddings.MAX_PIXELS).rgb();
                List<AgeProjector.Rendered> rendered = projector.project(image, l, p.age(), targets);
                List<ProjectionVectors.Vectors> vectors = ProjectionVectors.embed(embedder, rendered);
                List<Ref> refs = new ArrayList<>();
                for (int i = 0; i < rendered.size(); i++) {
                    double age = rendered.get(i).targetAge();
                    Path key = Path.of(p.file() + "#projection-" + age);
                    samples.put(key, new TransformRecipe.Sample(p.identity(), age, vectors.get(i).raw(), vectors.get(i).mirrored()));
                    refs.add(new Ref(key, age));
                }
                byPhoto.put(p.file(), refs);
                if (byPhoto.size() % 50 == 0) {
                    err.printf(Locale.ROOT, "[eval] fold %d/%d: %d / %d case photos looked at, %d projected (%s)%n", k + 1, folds,
                            done, inFold.size(), byPhoto.size(), Progress.duration((System.nanoTime() - start) / 1e9));
                }
            }
        }
        return new ScaleProjections(byPhoto, samples, refused);
    }
}
