package org.homeward.cases;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.homeward.photos.Photo;
import org.homeward.photos.PhotoAccess;
import org.homeward.security.CurrentUser;
import org.homeward.security.Roles;

/** A photo is visible to its uploader, to admins, and to whoever may see a case it is attached to. */
@ApplicationScoped
public class CasePhotoAccess implements PhotoAccess {

    @Inject
    CurrentUser currentUser;

    @Inject
    CaseService cases;

    @Override
    public boolean maySee(Photo photo) {
        if (currentUser.hasRole(Roles.ADMIN) || currentUser.username().equals(photo.uploadedBy)) {
            return true;
        }
        return CasePhoto.<CasePhoto>list("photoId", photo.id).stream().anyMatch(link -> cases.canSee(link.caseId));
    }
}
