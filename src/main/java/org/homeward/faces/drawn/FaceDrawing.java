package org.homeward.faces.drawn;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.NotFoundException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.homeward.audit.AuditTrail;
import org.homeward.faces.BoxColumns;
import org.homeward.faces.Face;
import org.homeward.photos.Photo;
import org.homeward.photos.PhotoService;
import org.homeward.photos.PhotoState;
import org.homeward.security.CurrentUser;
import org.homeward.worker.JobQueue;

/**
 * A person draws a box around a face the detector missed: the box is checked against the photo and its faces,
 * kept with who drew it, audited, and handed to the worker ({@link DrawnFaceJob}), which places the landmarks,
 * runs the quality gate and indexes the face like any other. A refused box changes nothing.
 */
@ApplicationScoped
@Transactional
public class FaceDrawing {

    /** The smallest side of a box, in photo pixels: below it the eyes are closer than the quality gate allows. */
    static final int MIN_SIDE = 40;
    /** How much the drawn box may overlap a face already there (intersection over union) before it is that face. */
    static final double SAME_FACE = 0.4;

    /** A box as drawn, in the photo's own pixels (its top-left corner, width and height). */
    public record Box(Integer x, Integer y, Integer width, Integer height) {

        /** A box from a page's form fields; a field that is not a whole number is left out, and refused by the check. */
        public static Box ofForm(String x, String y, String width, String height) {
            return new Box(whole(x), whole(y), whole(width), whole(height));
        }

        private static Integer whole(String value) {
            try {
                return value == null || value.isBlank() ? null : Integer.valueOf(value.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    @Inject
    PhotoService photos;

    @Inject
    JobQueue jobs;

    @Inject
    AuditTrail audit;

    @Inject
    CurrentUser currentUser;

    public DrawnFaceView draw(long photoId, Box box) {
        Photo photo = Photo.<Photo>findByIdOptional(photoId).filter(photos::maySee)
                .orElseThrow(() -> new NotFoundException("no photo " + photoId));
        check(photo, box);
        DrawnFace drawn = new DrawnFace();
        drawn.photoId = photoId;
        drawn.box = new BoxColumns(box.x(), box.y(), box.width(), box.height());
        drawn.drawnBy = currentUser.username();
        drawn.drawnAt = Instant.now();
        drawn.persist();
        jobs.enqueue(DrawnFaceJob.KIND, drawn.id);
        audit.record("face.draw", "photo", photoId, "drawn=" + drawn.id + " box=" + box.x() + "," + box.y() + ","
                + box.width() + "x" + box.height());
        return DrawnFaceView.of(drawn);
    }

    /** The boxes drawn on a photo the caller may see, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DrawnFaceView> drawn(long photoId) {
        Photo.<Photo>findByIdOptional(photoId).filter(photos::maySee)
                .orElseThrow(() -> new NotFoundException("no photo " + photoId));
        return DrawnFace.<DrawnFace>list("photoId = ?1 order by id", photoId).stream().map(DrawnFaceView::of).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<DrawnFaceView> drawn(long photoId, long drawnId) {
        return drawn(photoId).stream().filter(d -> d.id() == drawnId).findFirst();
    }

    /** How many boxes drawn on the photo still wait for the worker (the pages poll until none does). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public long pending(long photoId) {
        return DrawnFace.count("photoId = ?1 and faceId is null and failureReason is null", photoId);
    }

    private static void check(Photo photo, Box box) {
        if (box == null || box.x() == null || box.y() == null || box.width() == null || box.height() == null) {
            throw FaceDrawingRefused.noBox();
        }
        int x = box.x();
        int y = box.y();
        int w = box.width();
        int h = box.height();
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || (long) x + w > photo.width || (long) y + h > photo.height) {
            throw FaceDrawingRefused.outside(x, y, w, h, photo.width, photo.height);
        }
        if (w < MIN_SIDE || h < MIN_SIDE) {
            throw FaceDrawingRefused.tooSmall(w, h, MIN_SIDE);
        }
        if (w > 2 * h || h > 2 * w) {
            throw FaceDrawingRefused.notSquare(w, h);
        }
        if (photo.state != PhotoState.done) {
            throw FaceDrawingRefused.notAnalysed(photo.state.name());
        }
        BoxColumns drawnBox = new BoxColumns(x, y, w, h);
        for (Face f : Face.<Face>list("photo.id = ?1 order by faceIndex", photo.id)) {
            if (drawnBox.overlap(f.box) > SAME_FACE) {
                throw FaceDrawingRefused.alreadyThere(f.faceIndex + 1);
            }
        }
        for (DrawnFace d : DrawnFace.<DrawnFace>list("photoId = ?1 and faceId is null and failureReason is null", photo.id)) {
            if (drawnBox.overlap(d.box) > SAME_FACE) {
                throw FaceDrawingRefused.stillWaiting();
            }
        }
    }
}
