package org.homeward.cases;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.homeward.photos.Photo;
import org.homeward.photos.PhotoAccess;

/** A photo is visible to whoever may see a case it is attached to. */
@ApplicationScoped
public class CasePhotoAccess implements PhotoAccess {

    @Inject
    CaseService cases;

    @Override
    public boolean maySee(Photo photo) {
        return CasePhoto.<CasePhoto>list("photoId", photo.id).stream().anyMatch(link -> cases.canSee(link.caseId));
    }
}
