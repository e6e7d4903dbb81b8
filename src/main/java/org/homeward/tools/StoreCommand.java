package org.homeward.tools;

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

/**
 * `store new-key-file [FILE]` writes a key file with one fresh key; `store rotate` seals every object of the photo
 * store under the key file's primary key (after a new key was made primary, or for files stored before encryption),
 * so that older keys can then leave the file. Reads the same environment as the app (docs/security.md).
 */
final class StoreCommand implements Command {

    @Override
    public String usage() {
        return "store new-key-file [FILE] | rotate   make the photo store's key file, or seal every stored object under"
                + " its primary key";
    }

    @Override
    public int run(List<String> args) throws Exception {
        Path keyFile = Path.of(Command.env("HOMEWARD_PHOTOS_ENCRYPTION_KEY_FILE",
                Command.env("HOMEWARD_HOME", "/var/lib/homeward") + "/keys/photo-store.keys"));
        if (args.size() >= 1 && args.get(0).equals("new-key-file")) {
            Path file = args.size() > 1 ? Path.of(args.get(1)) : keyFile;
            if (Files.exists(file)) {
                throw new IllegalArgumentException(file + " exists: add a key to it by hand and make it primary (docs/security.md)");
            }
            PhotoKeys.create(file);
            System.out.println("key file written: " + file + " (owner read/write only); keep a copy apart from the backups");
            return 0;
        }
        if (args.size() != 1 || !args.get(0).equals("rotate")) {
            throw new IllegalArgumentException("unknown store action " + args + ": new-key-file or rotate");
        }
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
        if (!Command.env("HOMEWARD_PHOTOS_STORE", "folder").equals("s3")) {
            return new FolderBlobStore(Path.of(Command.env("HOMEWARD_PHOTOS_STORAGE", Command.env("HOMEWARD_HOME", "/var/lib/homeward") + "/photos")));
        }
        return S3BlobStore.open(new S3Settings() {
            public Optional<URI> endpoint() { return Optional.ofNullable(System.getenv("HOMEWARD_PHOTOS_S3_ENDPOINT")).map(URI::create); }
            public String bucket() { return Command.env("HOMEWARD_PHOTOS_S3_BUCKET", "homeward-photos"); }
            public String region() { return Command.env("HOMEWARD_PHOTOS_S3_REGION", "us-east-1"); }
            public Optional<String> accessKey() { return Optional.ofNullable(System.getenv("HOMEWARD_PHOTOS_S3_ACCESS_KEY")); }
            public Optional<String> secretKey() { return Optional.ofNullable(System.getenv("HOMEWARD_PHOTOS_S3_SECRET_KEY")); }
            public boolean pathStyle() { return !Command.env("HOMEWARD_PHOTOS_S3_PATH_STYLE", "true").equals("false"); }
        });
    }

}
