package org.homeward.projections.ageing;

import java.awt.image.BufferedImage;
import java.util.List;
import org.homeward.models.Landmarks;

/**
 * Renders a face as it might look at other ages. What comes out is a computer projection, never a
 * photograph, and is labelled so wherever a person sees it. Implementations: {@link PrototypeProjector}
 * (the default, built from age-group means) and {@link GeneratorProjector} (a learned generator package,
 * e.g. MTLFace's ager).
 */
public interface AgeProjector {

    /**
     * Which model draws the projections, stored beside every one: the package's name and version, and how it
     * makes them ("age-prototypes" or "generator").
     */
    record Model(String id, String version, String method) {

        /** Id and version: a projection drawn by another version of the same package is drawn again. */
        public String key() {
            return id + " " + version;
        }
    }

    Model model();

    /** The age group the projector renders for a target age (what a projection row records). */
    String ageGroup(double age);

    /**
     * One face rendered at each target age, in order: the photo, the face's five landmarks on it, and the
     * child's age in the photo (years).
     */
    List<Rendered> project(BufferedImage photo, Landmarks landmarks, double sourceAge, List<Double> targetAges);

    /**
     * As {@link #project(BufferedImage, Landmarks, double, List)}, with relatives' adult photos steering the adult
     * end where the projector can use them ({@link #takesResemblance()}); one that cannot ignores them.
     */
    default List<Rendered> project(BufferedImage photo, Landmarks landmarks, double sourceAge, List<Double> targetAges,
            Resemblance resemblance) {
        return project(photo, landmarks, sourceAge, targetAges);
    }

    /** Whether relatives' photos change this projector's output (a generator package's contract has no such input). */
    default boolean takesResemblance() {
        return false;
    }

    /** The face cut into the projector's frame, unchanged: shown beside its projections. */
    BufferedImage sourceFrame(BufferedImage photo, Landmarks landmarks);

    /** A projection: its target age and group, the image, and the face's five landmarks on that image. */
    record Rendered(double targetAge, String ageGroup, BufferedImage image, Landmarks landmarks) {
    }
}
