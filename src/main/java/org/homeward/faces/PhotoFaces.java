package org.homeward.faces;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import org.homeward.audit.AuditTrail;
import org.homeward.photos.PhotoService;

/** The faces found on a photo, for whoever may see the photo; the reading is audited like the photo's own. */
@ApplicationScoped
public class PhotoFaces {

    @Inject
    PhotoService photos;

    @Inject
    AuditTrail audit;

    /** Empty when the photo does not exist or the caller may not see it, alike. */
    @Transactional
    public Optional<List<FaceView>> of(long photoId) {
        return photos.visible(photoId).map(p -> {
            audit.record("photo.faces", "photo", p.id, null);
            return FaceView.ofPhoto(p.id);
        });
    }
}
