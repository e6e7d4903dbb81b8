package org.homeward.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The job queue's depth (queued, running) read from the database every 5 s during a run, and at the end how long
 * photos uploaded during the run took from upload to analysed (their {@code photo.processed} audit event).
 */
final class QueueDepth {

    private final String url;
    private final String user;
    private final String password;
    private final List<String> rows = new ArrayList<>();
    private ScheduledExecutorService timer;
    private long start;

    QueueDepth(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    private java.sql.Timestamp startedAt;

    void start() {
        start = System.nanoTime();
        startedAt = new java.sql.Timestamp(System.currentTimeMillis());
        timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(this::sample, 0, 5, TimeUnit.SECONDS);
    }

    private void sample() {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE state = 'queued'),"
                        + " count(*) FILTER (WHERE state = 'running') FROM job")) {
            rs.next();
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            synchronized (rows) {
                rows.add(seconds + "," + rs.getLong(1) + "," + rs.getLong(2));
            }
        } catch (SQLException e) {
            synchronized (rows) {
                rows.add((System.nanoTime() - start) / 1_000_000_000L + ",error: " + e.getMessage().replace(',', ';') + ",");
            }
        }
    }

    void stopAndReport(Path csv) {
        timer.shutdownNow();
        List<String> lines = new ArrayList<>();
        lines.add("seconds,queued,running");
        synchronized (rows) {
            lines.addAll(rows);
        }
        try {
            Files.write(csv, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("queue depth (jobs queued, running) every 5 s, also in " + csv.toAbsolutePath() + ":");
        lines.forEach(l -> System.out.println("  " + l));
        System.out.println(summary(lines.subList(1, lines.size())));
        System.out.println(analysisTimes());
    }

    private static String summary(List<String> samples) {
        long maxQueued = 0;
        long maxRunning = 0;
        long sumQueued = 0;
        int n = 0;
        for (String row : samples) {
            String[] f = row.split(",");
            if (f.length == 3 && !f[1].startsWith("error")) {
                maxQueued = Math.max(maxQueued, Long.parseLong(f[1]));
                maxRunning = Math.max(maxRunning, Long.parseLong(f[2]));
                sumQueued += Long.parseLong(f[1]);
                n++;
            }
        }
        return String.format(java.util.Locale.ROOT, "queue depth summary: %d samples, jobs queued at most %d (mean %.1f),"
                + " running at most %d", n, maxQueued, n == 0 ? 0.0 : (double) sumQueued / n, maxRunning);
    }

    private String analysisTimes() {
        String sql = "SELECT count(*), percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY seconds), max(seconds)"
                + " FROM (SELECT extract(epoch FROM e.occurred_at - p.uploaded_at) AS seconds FROM photo p"
                + " JOIN audit_event e ON e.action = 'photo.processed' AND e.object_type = 'photo'"
                + " AND e.object_id = p.id::text WHERE p.uploaded_at >= ?) t";
        try (Connection c = DriverManager.getConnection(url, user, password);
                java.sql.PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, startedAt);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                Double[] p = (Double[]) rs.getArray(2).getArray();
                return String.format(java.util.Locale.ROOT, "photo analysis, upload to analysed (from the audit trail):"
                        + " %d photos, p50 %.2f s, p95 %.2f s, p99 %.2f s, max %.2f s", rs.getLong(1),
                        p[0], p[1], p[2], rs.getDouble(3));
            }
        } catch (SQLException | RuntimeException e) {
            return "photo analysis times not read: " + e.getMessage();
        }
    }
}
