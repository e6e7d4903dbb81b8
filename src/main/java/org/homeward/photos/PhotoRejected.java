package org.homeward.photos;

import org.homeward.web.RuleViolation;

/** An upload that Homeward refuses, with the rule it broke. Nothing of it is stored. */
public class PhotoRejected extends RuleViolation {

    private PhotoRejected(int status, String slug, String message) {
        super(status, slug, "Photo rejected", message);
    }

    public static PhotoRejected empty() {
        return new PhotoRejected(400, "empty-photo", "The upload is empty (0 bytes).");
    }

    /** Said as soon as the upload passes the limit: the rest is never read, so its size is not known. */
    public static PhotoRejected tooLarge(long max) {
        return new PhotoRejected(413, "photo-too-large", "The photo is larger than the limit of " + max + " bytes.");
    }

    public static PhotoRejected incomplete() {
        return new PhotoRejected(400, "upload-incomplete",
                "The upload ended before all of its bytes arrived; send it again.");
    }

    public static PhotoRejected unsupportedType(String declared) {
        return new PhotoRejected(415, "unsupported-media-type",
                "Content type '" + declared + "' is not accepted; send image/jpeg or image/png.");
    }

    public static PhotoRejected notAnImage() {
        return new PhotoRejected(415, "not-an-image", "The file is not a JPEG, PNG or WebP image.");
    }

    public static PhotoRejected typeMismatch(String declared, ImageFormat actual) {
        return new PhotoRejected(415, "content-type-mismatch",
                "The request says '" + declared + "' but the file is " + actual.mediaType + ".");
    }

    public static PhotoRejected formatNotReadable(ImageFormat format) {
        return new PhotoRejected(415, "format-not-readable",
                format.mediaType + " cannot be read on this platform; convert the photo to JPEG or PNG.");
    }

    public static PhotoRejected tooManyPixels(int width, int height, long max) {
        return new PhotoRejected(422, "too-many-pixels", "The image is " + width + " x " + height + " = "
                + ((long) width * height) + " pixels; the limit is " + max + " pixels.");
    }

    public static PhotoRejected corrupt(String why) {
        return new PhotoRejected(422, "corrupt-image", "The image could not be decoded: " + why);
    }
}
