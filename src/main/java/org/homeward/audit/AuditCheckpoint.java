package org.homeward.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The audit chain's head, written outside the database: the newest event's id and hash and the number of events,
 * signed with a key the database does not hold, appended to a file (and the log). The chain alone cannot show
 * that its newest events were deleted, since what is left still links up; a checkpoint can: the event it names
 * must still be there with the same hash, and as many events up to it. Plain JDBC, shared by the app and the
 * command-line verifier.
 */
public record AuditCheckpoint(Instant at, long headId, String headHash, long count, String mac) {

    /** The chain's head as it stands, signed with {@code key}; null while the trail is empty. */
    public static AuditCheckpoint take(Connection connection, byte[] key) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, hash, (SELECT count(*) FROM audit_event) FROM audit_event"
                        + " ORDER BY id DESC LIMIT 1")) {
            if (!rs.next()) {
                return null;
            }
            Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            long id = rs.getLong(1);
            String hash = rs.getString(2).trim();
            long count = rs.getLong(3);
            return new AuditCheckpoint(at, id, hash, count, mac(key, at, id, hash, count));
        }
    }

    /** One line of the checkpoint file. */
    public String line() {
        return "at=" + at + " head=" + headId + " hash=" + headHash + " count=" + count + " mac=" + mac;
    }

    static AuditCheckpoint parse(String line) {
        String[] parts = line.trim().split(" ");
        if (parts.length != 5) {
            throw new IllegalArgumentException("not a checkpoint line");
        }
        return new AuditCheckpoint(Instant.parse(value(parts[0], "at")), Long.parseLong(value(parts[1], "head")),
                value(parts[2], "hash"), Long.parseLong(value(parts[3], "count")), value(parts[4], "mac"));
    }

    private static String value(String part, String name) {
        if (!part.startsWith(name + "=")) {
            throw new IllegalArgumentException("expected " + name);
        }
        return part.substring(name.length() + 1);
    }

    /** Appends the checkpoint to the file and forces it to the disk before returning. */
    public void appendTo(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap((line() + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
        }
    }

    /**
     * What the checkpoints in {@code file} say is wrong with the trail now: a line not signed with {@code key}, or an
     * event a checkpoint saw that is gone or changed, or fewer events up to it. Empty when the file agrees (or there
     * is no file yet). {@code newest} limits the check to the newest lines (0: all of them).
     */
    public static List<String> check(Connection connection, Path file, byte[] key, int newest) throws IOException, SQLException {
        List<String> problems = new ArrayList<>();
        if (!Files.exists(file)) {
            return problems;
        }
        List<String> all = Files.readAllLines(file, StandardCharsets.US_ASCII);
        int from = newest <= 0 ? 0 : Math.max(0, all.size() - newest);
        List<String> lines = all.subList(from, all.size());
        try (PreparedStatement head = connection.prepareStatement("SELECT hash FROM audit_event WHERE id = ?");
                PreparedStatement upTo = connection.prepareStatement("SELECT count(*) FROM audit_event WHERE id <= ?")) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                String where = "checkpoint " + (from + i + 1) + " of " + file;
                AuditCheckpoint c;
                try {
                    c = parse(lines.get(i));
                } catch (RuntimeException e) {
                    problems.add(where + " cannot be read: the file was edited");
                    continue;
                }
                if (!MessageDigest.isEqual(c.mac.getBytes(StandardCharsets.US_ASCII),
                        mac(key, c.at, c.headId, c.headHash, c.count).getBytes(StandardCharsets.US_ASCII))) {
                    problems.add(where + " is not signed with this installation's key: the file was edited");
                    continue;
                }
                head.setLong(1, c.headId);
                try (ResultSet rs = head.executeQuery()) {
                    if (!rs.next()) {
                        problems.add(where + " (" + c.at + ") saw event " + c.headId + ", which is gone: events were deleted");
                        continue;
                    }
                    if (!rs.getString(1).trim().equals(c.headHash)) {
                        problems.add(where + " (" + c.at + ") saw event " + c.headId + " with another hash: it was replaced");
                        continue;
                    }
                }
                upTo.setLong(1, c.headId);
                try (ResultSet rs = upTo.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) != c.count) {
                        problems.add(where + " (" + c.at + ") counted " + c.count + " events up to " + c.headId + "; there are "
                                + rs.getLong(1) + " now");
                    }
                }
            }
        }
        return problems;
    }

    private static String mac(byte[] key, Instant at, long headId, String headHash, long count) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signed = mac.doFinal((at + "|" + headId + "|" + headHash + "|" + count).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
