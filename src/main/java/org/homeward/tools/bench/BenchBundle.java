package org.homeward.tools.bench;

import java.nio.file.Path;
import java.util.Optional;
import org.homeward.faces.ModelBundle;
import org.homeward.models.AgeEstimator;
import org.homeward.models.ModelUnavailable;
import org.homeward.models.ModelsConfig;

/**
 * The app's model bundle, except that an age estimator package which cannot be opened is left out with a note
 * (the pipeline then gives faces no age) instead of failing every photo: the benchmark measures what it can.
 */
public final class BenchBundle extends ModelBundle {

    private Optional<AgeEstimator> age;
    private String ageNote;

    public BenchBundle(Path dir, ModelsConfig.Device device, int detectorMaxSide) {
        super(dir, device, detectorMaxSide);
    }

    @Override
    public synchronized Optional<AgeEstimator> ageEstimator() {
        if (age == null) {
            try {
                age = super.ageEstimator();
            } catch (ModelUnavailable e) {
                age = Optional.empty();
                ageNote = "age estimator left out: " + e.getMessage();
            }
        }
        return age;
    }

    /** Why the age estimator was left out, or null. */
    public synchronized String ageNote() {
        return ageNote;
    }
}
