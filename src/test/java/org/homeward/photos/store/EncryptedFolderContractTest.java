package org.homeward.photos.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract holds with encryption on top of the folder store, as the app runs it by default. */
class EncryptedFolderContractTest extends BlobStoreContract {

    @TempDir
    Path dir;

    @Override
    BlobStore open() {
        return new EncryptingBlobStore(new FolderBlobStore(dir.resolve("store")), PhotoKeys.create(dir.resolve("keys")));
    }
}
