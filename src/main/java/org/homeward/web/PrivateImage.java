package org.homeward.web;

import jakarta.ws.rs.core.Response;

/**
 * An image of a child, a face or a projection as a response: never kept by a shared cache or the browser's disk
 * ("private, no-store"), since whoever may see it is decided on every request.
 */
public final class PrivateImage {

    private PrivateImage() {
    }

    public static Response of(byte[] bytes, String contentType) {
        return Response.ok(bytes, contentType).header("Cache-Control", "private, no-store").build();
    }
}
