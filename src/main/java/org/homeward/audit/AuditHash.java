package org.homeward.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The chain hash of an audit event: SHA-256 over the previous hash and every stored field. */
final class AuditHash {

    /** The prev_hash of the very first event. */
    static final String GENESIS = "0".repeat(64);

    private AuditHash() {
    }

    static String of(AuditEvent e) {
        // Fields are length-prefixed so that no two different events can serialise alike.
        StringBuilder canonical = new StringBuilder();
        for (String field : new String[] {e.prevHash, e.occurredAt.toString(), e.actor, e.action, e.objectType,
                e.objectId, e.details, e.requestId, e.clientAddress}) {
            String value = field == null ? "" : field;
            canonical.append(field == null ? -1 : value.length()).append(':').append(value).append('|');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e1) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e1);
        }
    }
}
