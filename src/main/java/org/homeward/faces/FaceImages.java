package org.homeward.faces;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.homeward.audit.AuditTrail;
import org.homeward.photos.ImageDecoder;
import org.homeward.photos.PhotoConfig;
import org.homeward.photos.PhotoService;
import org.homeward.photos.PhotoStore;
import org.homeward.security.Roles;

/**
 * One face cut from its photo, with a margin, for pages that compare faces side by side (candidates,
 * reports). Visible to whoever may see the photo; every view is audited like the photo's.
 */
@Path("/faces")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
public class FaceImages {

    /** The crop's longest side, in pixels. */
    static final int SIZE = 320;
    /** Margin around the detection box, as a share of its size: keeps hair and chin in view. */
    static final double MARGIN = 0.45;

    @Inject
    PhotoService photos;

    @Inject
    PhotoStore store;

    @Inject
    PhotoConfig config;

    @Inject
    AuditTrail audit;

    @GET
    @Path("/{id}/image")
    @Produces("image/jpeg")
    @Transactional
    public Response crop(@PathParam("id") long id) {
        Face face = Face.findById(id);
        if (face == null || !photos.maySee(face.photo)) {
            throw new NotFoundException("no face " + id);
        }
        audit.record("face.image", "face", id, null);
        BufferedImage rgb = ImageDecoder.decode(store.read(face.photo.sha256), config.maxPixels()).rgb();
        return Response.ok(jpeg(cut(rgb, face))).header("Cache-Control", "private, no-store").build();
    }

    static BufferedImage cut(BufferedImage image, Face face) {
        int mx = (int) Math.round(face.boxWidth * MARGIN);
        int my = (int) Math.round(face.boxHeight * MARGIN);
        int x0 = Math.max(0, face.boxX - mx);
        int y0 = Math.max(0, face.boxY - my);
        int x1 = Math.min(image.getWidth(), face.boxX + face.boxWidth + mx);
        int y1 = Math.min(image.getHeight(), face.boxY + face.boxHeight + my);
        int w = Math.max(1, x1 - x0);
        int h = Math.max(1, y1 - y0);
        double scale = Math.min(1.0, (double) SIZE / Math.max(w, h));
        int ow = Math.max(1, (int) Math.round(w * scale));
        int oh = Math.max(1, (int) Math.round(h * scale));
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(image, 0, 0, ow, oh, x0, y0, x0 + w, y0 + h, null);
        g.dispose();
        return out;
    }

    private static byte[] jpeg(BufferedImage image) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "jpg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
