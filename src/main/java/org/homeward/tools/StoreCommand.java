package org.homeward.tools;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.homeward.photos.store.BlobStore;
import org.homeward.photos.store.EncryptingBlobStore;
import org.homeward.photos.store.FolderBlobStore;
import org.homeward.photos.store.PhotoKeys;
import org.homeward.photos.store.S3BlobStore;
import org.homeward.photos.store.S3Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * `store new-key-file [FILE]` writes a key file with one fresh key; `store rotate` seals every object of the photo
 * store under the key file's primary key (after a new key was made primary, or for files stored before encryption),
 * so that older keys can then leave the file. Reads the same environment as the app (docs/security.md).
 */
@Command(name = "store", description = "the photo store's encryption keys (docs/security.md)")
final class StoreCommand {

    private final Path keyFile = Path.of(Main.env("HOMEWARD_PHOTOS_ENCRYPTION_KEY_FILE",
            Main.home().resolve("keys").resolve("photo-store.keys").toString()));

    @Command(name = "new-key-file", description = "write a key file with one fresh key")
    int newKeyFile(@Parameters(paramLabel = "FILE", arity = "0..1", description = "where (default:"
            + " $HOMEWARD_PHOTOS_ENCRYPTION_KEY_FILE, else $HOMEWARD_HOME/keys/photo-store.keys)") Path file) throws IOException {
        file = file == null ? keyFile : file;
        if (Files.exists(file)) {
            throw new IllegalArgumentException(file + " exists: add a key to it by hand and make it primary (docs/security.md)");
        }
        PhotoKeys.create(file);
        System.out.println("key file written: " + file + " (owner read/write only); keep a copy apart from the backups");
        return 0;
    }

    @Command(name = "rotate", description = "seal every stored object under the key file's primary key")
    int rotate() throws IOException {
        PhotoKeys keys = PhotoKeys.read(keyFile);
        try (EncryptingBlobStore store = new EncryptingBlobStore(openStore(), keys)) {
            List<String> names = new ArrayList<>();
            store.list("", entry -> names.add(entry.key()));
            int resealed = 0;
            for (int i = 0; i < names.size(); i++) {
                if (store.reseal(names.get(i))) {
                    resealed++;
                }
                if ((i + 1) % 1000 == 0) {
                    System.out.printf("  %d of %d objects checked, %d resealed%n", i + 1, names.size(), resealed);
                }
            }
            System.out.printf("%s: %d objects, %d resealed under key %s, %d already were%n", store.describe(),
                    names.size(), resealed, keys.primaryId(), names.size() - resealed);
            return 0;
        }
    }

    private static BlobStore openStore() {
        if (!Main.env("HOMEWARD_PHOTOS_STORE", "folder").equals("s3")) {
            return new FolderBlobStore(Path.of(Main.env("HOMEWARD_PHOTOS_STORAGE", Main.home().resolve("photos").toString())));
        }
        return S3BlobStore.open(new S3Settings() {
            public Optional<URI> endpoint() { return Optional.ofNullable(System.getenv("HOMEWARD_PHOTOS_S3_ENDPOINT")).map(URI::create); }
            public String bucket() { return Main.env("HOMEWARD_PHOTOS_S3_BUCKET", "homeward-photos"); }
            public String region() { return Main.env("HOMEWARD_PHOTOS_S3_REGION", "us-east-1"); }
            public Optional<String> accessKey() { return Optional.ofNullable(System.getenv("HOMEWARD_PHOTOS_S3_ACCESS_KEY")); }
            public Optional<String> secretKey() { return Optional.ofNullable(System.getenv("HOMEWARD_PHOTOS_S3_SECRET_KEY")); }
            public boolean pathStyle() { return !Main.env("HOMEWARD_PHOTOS_S3_PATH_STYLE", "true").equals("false"); }
        });
    }
}
