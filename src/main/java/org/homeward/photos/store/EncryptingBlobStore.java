package org.homeward.photos.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Children's photos and projections encrypted at rest, whatever store holds them: each object gets its own random
 * data key; the bytes are sealed with AES-256-GCM under it, bound to the object's key (a file copied under another
 * name does not open), and the data key is wrapped with a key-encryption key of {@link PhotoKeys}, named in the
 * header so that older keys still open older files and rotation only re-wraps. Layout: "HWE1", the key id's length
 * and id, the wrapped data key (nonce, 32 bytes + tag), the content's nonce, the sealed content and its tag.
 */
public final class EncryptingBlobStore implements BlobStore {

    private static final byte[] MAGIC = "HWE1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BlobStore store;
    private final PhotoKeys keys;

    public EncryptingBlobStore(BlobStore store, PhotoKeys keys) {
        this.store = store;
        this.keys = keys;
    }

    @Override
    public Optional<Instant> lastModified(String key) {
        return store.lastModified(key);
    }

    @Override
    public void put(String key, byte[] bytes) {
        store.put(key, seal(key, bytes, keys.primaryId(), keys.primary()));
    }

    /** Seals the file into a temporary one beside it, which the inner store then copies. */
    @Override
    public void put(String key, Path file) {
        Path sealed = null;
        try {
            sealed = Files.createTempFile(file.toAbsolutePath().getParent(), ".sealing-", ".part");
            try (InputStream in = Files.newInputStream(file); OutputStream out = Files.newOutputStream(sealed)) {
                seal(key, in, out, keys.primaryId(), keys.primary());
            }
            store.put(key, sealed);
        } catch (IOException e) {
            if (StoreFull.isNoSpace(e)) {
                throw new StoreFull("no room to seal " + file + ": " + e.getMessage(), e);
            }
            throw new UncheckedIOException("could not seal " + file + " to store it as " + key, e);
        } finally {
            if (sealed != null) {
                LocalFiles.deleteQuietly(sealed);
            }
        }
    }

    @Override
    public byte[] get(String key) {
        return open(key, store.get(key));
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }

    @Override
    public void touch(String key) {
        store.touch(key);
    }

    @Override
    public void list(String prefix, Consumer<Entry> visit) {
        store.list(prefix, visit);
    }

    @Override
    public int removeUnfinishedWrites(Duration minAge) {
        return store.removeUnfinishedWrites(minAge);
    }

    @Override
    public String describe() {
        return store.describe() + ", encrypted (AES-256-GCM, primary key " + keys.primaryId() + ")";
    }

    @Override
    public void close() {
        store.close();
    }

    /** The key id an object is sealed under; empty for bytes stored before encryption was turned on. */
    public Optional<String> keyIdOf(String key) {
        byte[] stored = store.get(key);
        return isSealed(stored) ? Optional.of(header(stored).keyId()) : Optional.empty();
    }

    /**
     * Seals the object again under the primary key (a rotation, or bytes stored before encryption); false when it
     * already is. Its content and name do not change, so nothing that refers to it notices.
     */
    public boolean reseal(String key) {
        byte[] stored = store.get(key);
        if (isSealed(stored) && header(stored).keyId().equals(keys.primaryId())) {
            return false;
        }
        store.put(key, seal(key, open(key, stored), keys.primaryId(), keys.primary()));
        return true;
    }

    static boolean isSealed(byte[] stored) {
        return stored.length >= MAGIC.length && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    static byte[] seal(String name, byte[] plain, String keyId, SecretKey kek) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length + 128);
        try {
            seal(name, new ByteArrayInputStream(plain), out, keyId, kek);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encrypt " + name + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Seals as it reads: GCM encrypts block by block, so a photo is never held whole to be sealed. */
    static void seal(String name, InputStream plain, OutputStream sealed, String keyId, SecretKey kek)
            throws IOException {
        try {
            byte[] dataKey = new byte[32];
            RANDOM.nextBytes(dataKey);
            byte[] wrapNonce = nonce();
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, kek, wrapNonce, keyId).doFinal(dataKey);
            byte[] contentNonce = nonce();
            Cipher content = gcm(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), contentNonce, name);
            Arrays.fill(dataKey, (byte) 0);
            byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
            DataOutputStream data = new DataOutputStream(sealed);
            data.write(MAGIC);
            data.writeByte(id.length);
            data.write(id);
            data.write(wrapNonce);
            data.writeShort(wrapped.length);
            data.write(wrapped);
            data.write(contentNonce);
            byte[] in = new byte[64 * 1024];
            byte[] out = new byte[content.getOutputSize(in.length)];
            for (int n; (n = plain.read(in)) != -1; ) {
                data.write(out, 0, content.update(in, 0, n, out));
            }
            data.write(content.doFinal());
            data.flush();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt " + name + ": " + e.getMessage(), e);
        }
    }

    private record Header(String keyId, byte[] wrapNonce, byte[] wrapped, byte[] contentNonce, int contentStart) {
    }

    private static Header header(byte[] stored) {
        try {
            ByteBuffer in = ByteBuffer.wrap(stored);
            in.position(MAGIC.length);
            byte[] id = new byte[in.get() & 0xff];
            in.get(id);
            byte[] wrapNonce = new byte[NONCE];
            in.get(wrapNonce);
            byte[] wrapped = new byte[in.getShort() & 0xffff];
            in.get(wrapped);
            byte[] contentNonce = new byte[NONCE];
            in.get(contentNonce);
            return new Header(new String(id, StandardCharsets.UTF_8), wrapNonce, wrapped, contentNonce, in.position());
        } catch (RuntimeException e) {
            throw failure("the encrypted file's header is damaged", e);
        }
    }

    byte[] open(String name, byte[] stored) {
        if (!isSealed(stored)) {
            return stored; // written before encryption was turned on: `deploy/homeward store rotate` seals it
        }
        Header h = header(stored);
        SecretKey kek = keys.byId(h.keyId()).orElseThrow(() -> failure(name
                + " is sealed under key '" + h.keyId() + "', which the key file does not hold"));
        try {
            byte[] dataKey = gcm(Cipher.DECRYPT_MODE, kek, h.wrapNonce(), h.keyId()).doFinal(h.wrapped());
            Cipher content = gcm(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), h.contentNonce(), name);
            Arrays.fill(dataKey, (byte) 0);
            return content.doFinal(stored, h.contentStart(), stored.length - h.contentStart());
        } catch (AEADBadTagException e) {
            throw failure(name + " does not decrypt: it was changed, damaged or"
                    + " copied from another name (authentication failed)", e);
        } catch (GeneralSecurityException e) {
            throw failure("cannot decrypt " + name + ": " + e.getMessage(), e);
        }
    }

    private static UncheckedIOException failure(String message) {
        return new UncheckedIOException(message, new IOException(message));
    }

    private static UncheckedIOException failure(String message, Throwable cause) {
        return new UncheckedIOException(message, new IOException(message, cause));
    }

    private static byte[] nonce() {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    private static Cipher gcm(int mode, SecretKey key, byte[] nonce, String associated) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
