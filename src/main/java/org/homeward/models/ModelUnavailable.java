package org.homeward.models;

/** A model package is missing, damaged or cannot be loaded; the message says how to fix it. */
public class ModelUnavailable extends RuntimeException {

    public ModelUnavailable(String message) {
        super(message);
    }

    public ModelUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
