package org.homeward.photos.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption keys of the photo store, read from a key file: one {@code id=base64(32 bytes)} line per key and a
 * {@code primary=id} line naming the one new files are written with. Older keys stay to read older files until
 * {@code deploy/homeward store rotate} has re-wrapped them (docs/security.md). A KMS can replace the file later: only
 * this class knows where the keys come from.
 */
public final class PhotoKeys {

    private static final String PRIMARY = "primary";

    private final Map<String, SecretKey> keys;
    private final String primary;

    PhotoKeys(Map<String, SecretKey> keys, String primary) {
        if (!keys.containsKey(primary)) {
            throw new IllegalArgumentException("the primary key '" + primary + "' is not in the key file");
        }
        this.keys = Map.copyOf(keys);
        this.primary = primary;
    }

    public String primaryId() {
        return primary;
    }

    SecretKey primary() {
        return keys.get(primary);
    }

    Optional<SecretKey> byId(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    /** Reads a key file; a clear message names the file and the line when it is not one. */
    public static PhotoKeys read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the photo store's key file " + file + ": " + e.getMessage(), e);
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String primary = null;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(file + " line " + (n + 1) + ": expected id=base64-key or primary=id");
            }
            String name = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (name.equals(PRIMARY)) {
                primary = value;
                continue;
            }
            if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException(file + " line " + (n + 1) + ": a key id is 1-64 letters, digits, . _ -");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (n + 1) + ": the key is not base64");
            }
            if (key.length != 32) {
                throw new IllegalArgumentException(file + " line " + (n + 1) + ": a key is 32 bytes (AES-256), not " + key.length);
            }
            keys.put(name, new SecretKeySpec(key, "AES"));
        }
        if (primary == null) {
            throw new IllegalArgumentException(file + " names no primary key (a line primary=<id>)");
        }
        return new PhotoKeys(keys, primary);
    }

    /** Writes a new key file with one fresh random key as primary, readable by its owner only. */
    public static PhotoKeys create(Path file) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String id = "k1";
        String text = "# Homeward photo store keys (docs/security.md). Keep a copy apart from the backups.\n"
                + PRIMARY + "=" + id + "\n" + id + "=" + Base64.getEncoder().encodeToString(key) + "\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".keys-", ".tmp");
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its own permissions apply
            }
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the photo store's key file " + file + ": " + e.getMessage(), e);
        }
        return read(file);
    }
}
