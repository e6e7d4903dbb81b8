package org.homeward.photos;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.homeward.audit.AuditTrail;
import org.homeward.photos.store.StoreFull;
import org.homeward.security.CurrentUser;
import org.homeward.security.Roles;
import org.homeward.worker.JobQueue;
import org.jboss.logging.Logger;

/** Accepts photos: checks them, stores their bytes once, records who brought them, and queues processing. */
@ApplicationScoped
public class PhotoService {

    private static final Logger LOG = Logger.getLogger(PhotoService.class);

    /** The job that finds faces on a photo and embeds them. */
    public static final String PROCESS_JOB = "process-photo";

    @Inject
    PhotoConfig config;

    @Inject
    PhotoStore store;

    @Inject
    JobQueue jobs;

    @Inject
    AuditTrail audit;

    @Inject
    CurrentUser currentUser;

    @Inject
    @Any
    Instance<PhotoAccess> access;

    /**
     * Whether the caller may see the photo, and so use it in what they create (a sighting): its uploaders may
     * ({@link UploaderPhotoAccess}), and any feature that attaches photos may grant it.
     */
    public boolean maySee(Photo photo) {
        return access.stream().anyMatch(rule -> rule.maySee(photo));
    }

    /** Where the photo's processing stands, for the uploader before they use it. Empty when they may not use it. */
    @Transactional
    public Optional<Status> status(long id) {
        return visible(id).map(p -> new Status(p.id, p.state, p.failureReason));
    }

    /** A photo's processing state, and why it failed when it did. */
    public record Status(long photoId, PhotoState state, String failureReason) {
    }

    private void recordHolder(long photoId) {
        Photo.getEntityManager().createNativeQuery(
                "INSERT INTO photo_upload (photo_id, username) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, photoId).setParameter(2, currentUser.username()).executeUpdate();
    }

    /** The photo, when it exists and the caller may see it; otherwise empty, alike, so ids leak nothing. */
    public Optional<Photo> visible(long id) {
        return Photo.<Photo>findByIdOptional(id).filter(this::maySee);
    }

    /** How many faces the worker found: a count in SQL, so photos need no face classes (faces builds on photos). */
    private static long faceCount(long photoId) {
        return ((Number) Photo.getEntityManager().createNativeQuery("SELECT count(*) FROM face WHERE photo_id = ?1")
                .setParameter(1, photoId).getSingleResult()).longValue();
    }

    /** The outcome of an upload: the photo, and whether these bytes were new to Homeward. */
    public record Upload(Photo photo, boolean created) {
    }

    /** Writes an upload's body to a local file as it arrives; refused once it passes the size limit. */
    public ReceivedPhoto receive(InputStream body) {
        return ReceivedPhoto.receive(body, config.receivedFolder(), config.maxBytes());
    }

    /** The same for a file a page's form upload left on disk (copied: that file is the web layer's to delete). */
    public ReceivedPhoto receive(Path uploadedFile) {
        try (InputStream in = Files.newInputStream(uploadedFile)) {
            return receive(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the uploaded file " + uploadedFile, e);
        }
    }

    /**
     * Validates and stores a received upload. The bytes are in the store (synced) before the row commits, so a
     * committed photo always has its bytes; a crash in between leaves only unreferenced bytes for the sweep.
     */
    @Transactional
    public Upload upload(ReceivedPhoto received, String declaredType, String originalName) {
        if (received.size() == 0) {
            throw PhotoRejected.empty();
        }
        ImageFormat declared = declaredType == null || declaredType.startsWith("application/octet-stream")
                ? null
                : ImageFormat.ofMediaType(declaredType).orElseThrow(() -> PhotoRejected.unsupportedType(declaredType));
        // The decoder's check reads the bytes whole: at most the size limit, which receiving enforced.
        byte[] bytes = received.readAll();
        ImageFormat actual = ImageFormat.sniff(bytes).orElseThrow(PhotoRejected::notAnImage);
        if (declared != null && declared != actual) {
            throw PhotoRejected.typeMismatch(declaredType, actual);
        }
        PhotoPixels image = PhotoPixels.open(bytes, config.maxPixels());
        image.verify();

        String sha = received.sha256();
        Optional<Photo> existing = Photo.findBySha256(sha);
        if (existing.isPresent()) {
            recordHolder(existing.get().id);
            audit.record("photo.upload", "photo", existing.get().id, "same bytes as an existing photo");
            return new Upload(existing.get(), false);
        }
        try {
            store.store(received);
        } catch (StoreFull e) {
            LOG.errorf("photo store full: an upload of %d bytes was refused (%s)", received.size(), e.getMessage());
            throw new PhotoStoreFull();
        }
        Photo photo = new Photo();
        photo.sha256 = sha;
        photo.contentType = actual.mediaType;
        photo.byteSize = received.size();
        photo.width = image.width();
        photo.height = image.height();
        photo.originalName = originalName == null ? null : originalName.substring(0, Math.min(200, originalName.length()));
        photo.uploadedBy = currentUser.username();
        photo.uploadedByUnit = currentUser.unit().orElse(null);
        photo.uploadedAt = Instant.now();
        photo.persist();
        recordHolder(photo.id);
        jobs.enqueue(PROCESS_JOB, photo.id);
        audit.record("photo.upload", "photo", photo.id, actual.mediaType + " " + image.width() + "x" + image.height());
        return new Upload(photo, true);
    }

    /**
     * What the uploader is told about their upload: the same answer whether the bytes were new or already
     * here, so an upload never tells who else holds an image. The uploader named is the caller, at the time
     * they first sent these bytes.
     */
    @Transactional
    public PhotoView describe(Upload upload) {
        Photo photo = Photo.findById(upload.photo().id);
        Instant uploadedAt = ownUpload(photo.id).orElseThrow();
        return PhotoView.of(photo, faceCount(photo.id)).withUploader(currentUser.username(), uploadedAt);
    }

    private Optional<Instant> ownUpload(long photoId) {
        return UploaderPhotoAccess.uploadedAt(photoId, currentUser.username());
    }

    /** Who brought a photo is shown to admins, to that person, and to the people of their unit only. */
    private boolean mayKnowUploader(Photo photo) {
        return currentUser.hasRole(Roles.ADMIN) || currentUser.username().equals(photo.uploadedBy)
                || photo.uploadedByUnit != null && currentUser.unit().filter(photo.uploadedByUnit::equals).isPresent();
    }

    @Transactional
    public Optional<PhotoView> view(long id) {
        Optional<Photo> photo = visible(id);
        photo.ifPresent(p -> audit.record("photo.view", "photo", p.id, null));
        return photo.map(p -> {
            PhotoView view = PhotoView.of(p, faceCount(p.id));
            if (mayKnowUploader(p)) {
                return view;
            }
            // a later uploader of the same bytes sees their own upload, as the upload's answer showed them
            return ownUpload(p.id).map(at -> view.withUploader(currentUser.username(), at)).orElseGet(view::withoutUploader);
        });
    }

    /** A photo's bytes and type, for authorized display only. */
    public record Content(byte[] bytes, String contentType) {
    }

    @Transactional
    public Optional<Content> content(long id) {
        Optional<Photo> photo = visible(id);
        photo.ifPresent(p -> audit.record("photo.content", "photo", p.id, null));
        return photo.map(p -> new Content(store.read(p.sha256), p.contentType));
    }
}
