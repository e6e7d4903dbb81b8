package org.homeward.photos;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.homeward.security.CurrentUser;
import org.homeward.security.Roles;
import org.homeward.web.SqlTimes;

/**
 * A photo is visible to admins and to everyone who uploaded its bytes, the first or a later one: the upload's answer
 * names the photo's location, and it must open for whoever was given it (who brought it first stays hidden from
 * other units: {@link PhotoView}).
 */
@ApplicationScoped
public class UploaderPhotoAccess implements PhotoAccess {

    @Inject
    CurrentUser currentUser;

    @Override
    public boolean maySee(Photo photo) {
        if (currentUser.hasRole(Roles.ADMIN) || currentUser.username().equals(photo.uploadedBy)) {
            return true;
        }
        return uploadedAt(photo.id, currentUser.username()).isPresent();
    }

    /** When this person uploaded the photo's bytes, if they did. */
    static Optional<Instant> uploadedAt(long photoId, String username) {
        List<?> rows = Photo.getEntityManager()
                .createNativeQuery("SELECT uploaded_at FROM photo_upload WHERE photo_id = ?1 AND username = ?2")
                .setParameter(1, photoId).setParameter(2, username).getResultList();
        return rows.stream().findFirst().map(SqlTimes::instant);
    }
}
