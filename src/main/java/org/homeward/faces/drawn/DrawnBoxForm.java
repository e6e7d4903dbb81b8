package org.homeward.faces.drawn;

import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The drawing form of a photo page (a case's or a sighting's): the box's fields as posted, and the page's answer,
 * back to the photo page with a note once the box is handed over, or with the refusal in words; nothing is stored
 * for a refused box.
 */
public class DrawnBoxForm {

    @RestForm
    String x;

    @RestForm
    String y;

    @RestForm
    String width;

    @RestForm
    String height;

    public Response submit(String page, Consumer<FaceDrawing.Box> draw, String received) {
        try {
            draw.accept(FaceDrawing.Box.ofForm(x, y, width, height));
            return back(page, "note", received);
        } catch (FaceDrawingRefused e) {
            return back(page, "message", e.getMessage());
        }
    }

    private static Response back(String page, String parameter, String text) {
        return Response.seeOther(URI.create(page + "?" + parameter + "=" + URLEncoder.encode(text, StandardCharsets.UTF_8)))
                .build();
    }
}
