package org.homeward.faces;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.NoninvertibleTransformException;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.homeward.audit.AuditTrail;
import org.homeward.faces.pipeline.FaceRegion;
import org.homeward.models.FaceBox;
import org.homeward.models.Landmarks;
import org.homeward.photos.PhotoConfig;
import org.homeward.photos.PhotoPixels;
import org.homeward.photos.PhotoService;
import org.homeward.photos.PhotoStore;
import org.homeward.security.Roles;
import org.homeward.web.PrivateImage;

/**
 * One face cut from its photo, with a margin, for pages that compare faces side by side (candidates,
 * reports, lists), or aligned on its eyes for the candidate page's overlay. Visible to whoever may see the photo; every view is audited like the photo's.
 */
@Path("/faces")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
public class FaceImages {

    /** The crop's longest side, in pixels. */
    static final int SIZE = 320;
    /** The larger size a page may ask for, to zoom in. */
    static final int ZOOM = 640;
    /** Where the aligned image puts the eye centres: a third of the width apart, a little above the middle. */
    static final double EYE_LEFT_X = 0.35;
    static final double EYE_RIGHT_X = 0.65;
    static final double EYE_Y = 0.42;
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
    public Response crop(@PathParam("id") long id, @QueryParam("size") Integer size) {
        Face face = visible(id, "crop");
        return jpeg(cut(photo(face), face.faceBox(), side(size)));
    }

    /**
     * The face turned and scaled so that its eyes fall on fixed points of a square: two faces aligned this way can
     * be laid side by side, over each other, or blinked between, and the eyes stay put.
     */
    @GET
    @Path("/{id}/aligned")
    @Produces("image/jpeg")
    @Transactional
    public Response aligned(@PathParam("id") long id, @QueryParam("size") Integer size) {
        Face face = visible(id, "aligned");
        return jpeg(align(photo(face), Landmarks.of(face.landmarks), side(size)));
    }

    private Face visible(long id, String how) {
        Face face = Face.findById(id);
        if (face == null || !photos.maySee(face.photo)) {
            throw new NotFoundException("no face " + id);
        }
        audit.record("face.image", "face", id, how);
        return face;
    }

    /** Only the header is read here: a crop decodes just its region, so a large photo is never held whole. */
    private PhotoPixels photo(Face face) {
        return PhotoPixels.open(store.read(face.photo.sha256), config.maxPixels());
    }

    /** Only the two sizes pages use: any other asked for is the default. */
    private static int side(Integer size) {
        return size != null && size == ZOOM ? ZOOM : SIZE;
    }

    static BufferedImage align(PhotoPixels photo, Landmarks l, int size) {
        double rx = (l.x()[0] + l.x()[1]) / 2;
        double ry = (l.y()[0] + l.y()[1]) / 2;
        double lx = (l.x()[2] + l.x()[3]) / 2;
        double ly = (l.y()[2] + l.y()[3]) / 2;
        // dlib's points 0-1 are the eye on the image's right, 2-3 the one on its left.
        double scale = (EYE_RIGHT_X - EYE_LEFT_X) * size / Math.max(1e-6, Math.hypot(rx - lx, ry - ly));
        AffineTransform t = new AffineTransform();
        t.translate(EYE_LEFT_X * size, EYE_Y * size);
        t.rotate(-Math.atan2(ry - ly, rx - lx));
        t.scale(scale, scale);
        t.translate(-lx, -ly);
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(0xeef1f4));
        g.fillRect(0, 0, size, size);
        Rectangle seen = seenThrough(t, size, photo);
        if (!seen.isEmpty()) {
            PhotoPixels.Sampled part = photo.sample(seen, stepFor(scale));
            t.translate(part.x0(), part.y0());
            t.scale(part.step(), part.step());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(part.image(), t, null);
        }
        g.dispose();
        return out;
    }

    /** The part of the photo that {@code t} shows in a {@code size} square, with a few pixels for the filter. */
    private static Rectangle seenThrough(AffineTransform t, int size, PhotoPixels photo) {
        try {
            Rectangle2D square = new Rectangle2D.Double(0, 0, size, size);
            Rectangle2D back = t.createInverse().createTransformedShape(square).getBounds2D();
            Rectangle grown = new Rectangle((int) Math.floor(back.getX()) - 2, (int) Math.floor(back.getY()) - 2,
                    (int) Math.ceil(back.getWidth()) + 5, (int) Math.ceil(back.getHeight()) + 5);
            return grown.intersection(new Rectangle(0, 0, photo.width(), photo.height()));
        } catch (NoninvertibleTransformException e) {
            return new Rectangle();
        }
    }

    /** Reads at most about twice the output's resolution: bicubic scaling from there looks the same. */
    private static int stepFor(double outputPerPhotoPixel) {
        return Math.max(1, (int) Math.floor(1 / (2 * outputPerPhotoPixel)));
    }

    static BufferedImage cut(PhotoPixels photo, FaceBox box, int size) {
        Rectangle r = FaceRegion.around(box, MARGIN, photo.width(), photo.height());
        double scale = Math.min(size == SIZE ? 1.0 : (double) size / SIZE, (double) size / Math.max(r.width, r.height));
        int ow = Math.max(1, (int) Math.round(r.width * scale));
        int oh = Math.max(1, (int) Math.round(r.height * scale));
        BufferedImage part = photo.sample(r, stepFor(scale)).image();
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(part, 0, 0, ow, oh, null);
        g.dispose();
        return out;
    }

    private static Response jpeg(BufferedImage image) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "jpg", out);
            return PrivateImage.of(out.toByteArray(), "image/jpeg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
