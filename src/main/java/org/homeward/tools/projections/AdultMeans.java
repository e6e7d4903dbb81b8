package org.homeward.tools.projections;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.FoundFace;
import org.homeward.photos.PhotoRejected;
import org.homeward.projections.ageing.AgePrototypes;
import org.homeward.projections.ageing.PrototypeProjector;
import org.homeward.projections.imaging.ColourImage;
import org.homeward.projections.imaging.PhotoPyramid;
import org.homeward.projections.imaging.PlaneSimilarity;
import org.homeward.projections.imaging.ThinPlateSpline;
import org.homeward.projections.imaging.Warp;

/**
 * The adult end of the prototypes from photos that have neither ages nor annotated shapes (lag-train's adults): an
 * experiment the issue asked for, measured by {@code projections ageing --adult-photos}. Each face is placed in the
 * frame by its five detected landmarks and taken to have the adult mean shape there (it has no 68 points of its own);
 * the mean of those faces, warped onto the reference shape, stands in for the mean image of every group aged 18 and
 * over. Shapes and textures stay the annotated data's: 100 px crops carry no skin texture at the frame's scale.
 */
final class AdultMeans {

    static final double ADULT = 18;
    private static final double SHAPE_AGE = 25;

    private AdultMeans() {
    }

    /** The mean image of the usable faces of {@code photos}, in {@code prototypes}' reference shape. */
    static ColourImage of(List<Path> photos, FacePipeline pipeline, AgePrototypes prototypes, PrintStream progress) {
        int size = prototypes.frame().size();
        double[] anchors = Warp.borderAnchors(size - 1, PrototypeProjector.BORDER_ANCHORS_PER_SIDE);
        ThinPlateSpline toAdultShape = new ThinPlateSpline(PrototypeProjector.concat(prototypes.reference(), anchors),
                PrototypeProjector.concat(prototypes.shapeAt(SHAPE_AGE), anchors), 0);
        Warp warp = Warp.of(size, size, toAdultShape);
        int m = prototypes.imageSize();
        double[][] sum = new double[3][m * m];
        int used = 0;
        for (int i = 0; i < photos.size(); i++) {
            BufferedImage image = decoded(photos.get(i));
            FoundFace face = image == null ? null : AgeingFigures.usableFace(pipeline, image);
            if (face != null) {
                PlaneSimilarity toFrame = prototypes.frame().fromPhoto(face.landmarks());
                ColourImage half = warp.render(new PhotoPyramid(ColourImage.of(image)), toFrame.inverse(), toFrame.scale()).halved();
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < m * m; p++) {
                        sum[c][p] += half.get(c, p % m, p / m);
                    }
                }
                used++;
            }
            if ((i + 1) % 200 == 0 || i + 1 == photos.size()) {
                progress.printf(Locale.ROOT, "[projections] adult photos: %d / %d read, %d with a usable face%n", i + 1,
                        photos.size(), used);
            }
        }
        if (used == 0) {
            throw new IllegalArgumentException("no usable face in the " + photos.size() + " adult photos");
        }
        ColourImage mean = new ColourImage(m, m);
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < m * m; p++) {
                mean.set(c, p % m, p / m, Math.max(0, Math.min(255, Math.round(sum[c][p] / used))));
            }
        }
        return mean;
    }

    /** {@code prototypes} with {@code image} as the mean image of every group whose mean age is {@link #ADULT} or over. */
    static AgePrototypes withAdultImage(AgePrototypes prototypes, ColourImage image) {
        List<AgePrototypes.Group> groups = new ArrayList<>();
        for (AgePrototypes.Group g : prototypes.groups()) {
            groups.add(g.meanAge() < ADULT ? g : new AgePrototypes.Group(g.label(), g.minAge(), g.maxAge(), g.meanAge(),
                    g.photos(), g.identities(), g.shape(), image, g.texture()));
        }
        return new AgePrototypes(prototypes.frame(), prototypes.imageSize(), prototypes.textureSize(),
                prototypes.fivePoints(), prototypes.reference(), groups);
    }

    /** The photo, or null where the app would refuse it (it then counts as a photo without a usable face). */
    private static BufferedImage decoded(Path file) {
        try {
            return AnnotatedPhoto.decode(file);
        } catch (PhotoRejected e) {
            return null;
        }
    }
}
