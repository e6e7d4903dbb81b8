package org.homeward.models;

import java.awt.image.BufferedImage;
import java.util.List;

/** Finds faces on an upright RGB image; best score first. */
public interface FaceDetector {

    List<FaceBox> detect(BufferedImage rgb);
}
