package org.homeward.photos;

/**
 * A feature that queues worker jobs about a photo (faces: re-indexing it, placing a drawn box). The sweep of
 * unattached photos calls each one to remove its jobs with the photo, in the sweep's transaction, so no job is left
 * pointing at a photo that is gone and photos need not know the other features' job kinds.
 */
public interface PhotoJobs {

    /** Deletes this feature's queued jobs about the photo. */
    void deleteFor(long photoId);
}
