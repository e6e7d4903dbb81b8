package org.homeward.photos;

/**
 * Who may see a photo. Photos know nothing of cases, so the rule is supplied by the feature that
 * attaches them (cases); the photo endpoints call it before answering anything.
 */
public interface PhotoAccess {

    boolean maySee(Photo photo);
}
