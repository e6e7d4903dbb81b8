package org.homeward.faces.drawn;

import java.util.Map;
import org.homeward.web.RuleViolation;

/** A drawn box Homeward refuses, with the rule it broke. Nothing is stored. */
public class FaceDrawingRefused extends RuleViolation {

    private FaceDrawingRefused(int status, String slug, String message) {
        super(status, slug, "Face box refused", message);
    }

    @Override
    public Map<String, String> fieldErrors() {
        return Map.of("box", getMessage());
    }

    static FaceDrawingRefused noBox() {
        return new FaceDrawingRefused(400, "face-box-missing",
                "Give the box as x, y, width and height in the photo's pixels: draw it on the photo.");
    }

    static FaceDrawingRefused outside(int x, int y, int w, int h, int width, int height) {
        return new FaceDrawingRefused(422, "face-box-outside-photo", String.format(
                "The box (%d, %d, %d x %d) does not lie within the photo (%d x %d pixels): draw it on the photo itself.",
                x, y, w, h, width, height));
    }

    static FaceDrawingRefused tooSmall(int w, int h, int min) {
        return new FaceDrawingRefused(422, "face-box-too-small", String.format(
                "The box is %d x %d pixels; a face needs at least %d x %d to be compared. Draw the box around the whole"
                        + " face, from the forehead to the chin.", w, h, min, min));
    }

    static FaceDrawingRefused notSquare(int w, int h) {
        return new FaceDrawingRefused(422, "face-box-shape", String.format(
                "The box is %d x %d pixels: a face's box is about as wide as it is high (at most twice as long one way)."
                        + " Draw it around one face.", w, h));
    }

    static FaceDrawingRefused notAnalysed(String state) {
        return new FaceDrawingRefused(409, "photo-not-analysed",
                "The photo is " + state + ": a face can be drawn once Homeward has looked for faces on it.");
    }

    static FaceDrawingRefused alreadyThere(int faceNumber) {
        return new FaceDrawingRefused(409, "face-already-found",
                "Face " + faceNumber + " is already there: draw a box only around a face that has none.");
    }

    static FaceDrawingRefused stillWaiting() {
        return new FaceDrawingRefused(409, "face-box-waiting",
                "A box drawn there is still being indexed: wait a moment for it to appear.");
    }
}
