package org.homeward.photos;

import org.homeward.web.RuleViolation;

/** The photo store has no room: the upload is refused whole (507) and nothing of it remains. */
public class PhotoStoreFull extends RuleViolation {

    PhotoStoreFull() {
        super(507, "photo-store-full", "Photo store full",
                "The photo store is full, so the photo was not stored and nothing changed."
                + " Tell your administrator; the upload can be repeated once there is room.");
    }
}
