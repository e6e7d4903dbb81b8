package org.homeward.photos;

/** Where a photo is in processing. Lower case: these are the stored values. */
public enum PhotoState {
    queued, processing, done, failed
}
