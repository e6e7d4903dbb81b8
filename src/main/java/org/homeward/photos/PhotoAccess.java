package org.homeward.photos;

/**
 * Who may see a photo. Photos know nothing of cases or sightings, so each feature that attaches photos
 * supplies its rule; a photo is visible when any rule allows it. The photo endpoints ask before answering anything.
 */
public interface PhotoAccess {

    boolean maySee(Photo photo);
}
