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

/** The job queue's depth (queued, running) read from the database every 5 s during a run, printed at the end. */
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

    void start() {
        start = System.nanoTime();
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
    }
}
