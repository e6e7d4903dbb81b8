package org.homeward.sightings;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.homeward.photos.Photo;
import org.homeward.photos.PhotoAccess;

/** A sighting's photo is visible to whoever may see the sighting. */
@ApplicationScoped
public class SightingPhotoAccess implements PhotoAccess {

    @Inject
    SightingService sightings;

    @Override
    public boolean maySee(Photo photo) {
        return SightingPhoto.<SightingPhoto>list("photoId", photo.id).stream()
                .anyMatch(link -> sightings.canSee(link.sightingId));
    }
}
