package org.homeward.matching;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.homeward.faces.ModelBundle;
import org.homeward.models.ModelUnavailable;

/**
 * The evidence calibration for the model the app searches with, opened once from the model bundle. Without
 * one, searching stops with a clear error rather than show uncalibrated numbers as evidence.
 */
@ApplicationScoped
public class Evidence {

    @Inject
    ModelBundle models;

    private volatile EvidenceCalibration calibration;

    public EvidenceCalibration calibration() {
        EvidenceCalibration current = calibration;
        String modelId = models.searchModelId();
        if (current == null || !current.modelId().equals(modelId)) {
            current = EvidenceCalibration.forModel(models.dir(), modelId).orElseThrow(() -> new ModelUnavailable(
                    "no evidence calibration for the search model " + modelId + " is installed in " + models.dir()
                            + " (deploy/homeward models installs the default ones)"));
            calibration = current;
        }
        return current;
    }
}
