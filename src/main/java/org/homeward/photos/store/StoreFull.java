package org.homeward.photos.store;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The store has no room for a write (a full disk or quota); the write left nothing behind. */
public class StoreFull extends UncheckedIOException {

    public StoreFull(String message, IOException cause) {
        super(message, cause);
    }

    /** Whether an I/O failure is the file system saying it is out of space (ENOSPC, EDQUOT). */
    public static boolean isNoSpace(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
