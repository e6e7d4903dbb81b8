package org.homeward.referrals;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.homeward.photos.Photo;
import org.homeward.photos.PhotoAccess;
import org.homeward.sightings.SightingPhoto;

/** A sighting's photo is visible to the unit a candidate of it was referred to: they review with it in front of them. */
@ApplicationScoped
public class ReferralPhotoAccess implements PhotoAccess {

    @Inject
    ReferralService referrals;

    @Override
    public boolean maySee(Photo photo) {
        return SightingPhoto.<SightingPhoto>list("photoId", photo.id).stream()
                .anyMatch(link -> referrals.sightingReferredToMyUnit(link.sightingId));
    }
}
