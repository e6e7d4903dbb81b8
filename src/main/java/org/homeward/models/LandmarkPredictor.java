package org.homeward.models;

import java.awt.image.BufferedImage;

/** Places the five landmarks of a face inside its detected box. */
public interface LandmarkPredictor {

    Landmarks predict(BufferedImage rgb, FaceBox box);
}
