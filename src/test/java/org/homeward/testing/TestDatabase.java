package org.homeward.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.homeward.tools.bench.ScratchDatabase;
import org.junit.jupiter.api.Tag;

/** The real PostgreSQL that deploy/lib/postgres.sh runs, and throwaway databases on it. */
public final class TestDatabase {

    private static final String HOST = env("HOMEWARD_HOST", "127.0.0.1");
    private static final String PORT = env("HOMEWARD_PG_PORT", "55432");
    public static final String USER = env("HOMEWARD_PG_USER", "homeward");
    public static final String PASSWORD = env("HOMEWARD_PG_PASSWORD", "homeward");
    /** The role the app itself connects as (db-migrations/V15): not the owner. */
    public static final String APP_USER = env("HOMEWARD_PG_APP_USER", "homeward_app");
    public static final String APP_PASSWORD = env("HOMEWARD_PG_APP_PASSWORD", "homeward_app");
    /** The database the @QuarkusTest app uses (%test profile). */
    public static final String TEST_DB = env("HOMEWARD_PG_TEST_DB", "homeward_test");

    private TestDatabase() {
    }

    public static String url(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), USER, PASSWORD);
    }

    /** Creates an empty database (from template1, which carries the vector extension) and returns its name. */
    public static String createEmpty(String prefix) throws SQLException {
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100000;
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    /** An empty database with every migration applied, as the app's would be; returns its name. */
    public static String createMigrated(String prefix) throws SQLException {
        String name = createEmpty(prefix);
        Flyway.configure().dataSource(url(name), USER, PASSWORD).locations("filesystem:db-migrations")
                .placeholders(Map.of("app_role", USER)).load().migrate();
        return name;
    }

    /** "action by actor" of every audit event on one object, oldest first, read from the test database. */
    public static List<String> auditActions(String objectType, long id) throws SQLException {
        try (Connection c = connect(TEST_DB);
                var st = c.prepareStatement("SELECT action || ' by ' || actor FROM audit_event WHERE object_type = ? AND object_id = ? ORDER BY id")) {
            st.setString(1, objectType);
            st.setString(2, String.valueOf(id));
            try (var rs = st.executeQuery()) {
                List<String> actions = new ArrayList<>();
                while (rs.next()) {
                    actions.add(rs.getString(1));
                }
                return actions;
            }
        }
    }

    /**
     * Drops the databases an earlier run left under this prefix: a test's own database cannot be dropped while its
     * app still runs (the app's role's sessions are not the owner's to end), so each run clears the last one's.
     */
    public static void dropLeftovers(String prefix) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = connect("postgres"); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + prefix + "\\_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        for (String name : names) {
            try {
                drop(name);
            } catch (SQLException stillInUse) {
                // another run's app still holds it; the next run clears it
            }
        }
    }

    public static void drop(String database) throws SQLException {
        ScratchDatabase.dropIfExists(database);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** How many photo rows hold these bytes (0 or 1: the store keeps each image once). */
    public static long photoRows(String sha256) {
        return photoRows(TEST_DB, sha256);
    }

    /** The same, in another database. */
    public static long photoRows(String database, String sha256) {
        try (var c = connect(database); var s = c.prepareStatement("SELECT count(*) FROM photo WHERE sha256 = ?")) {
            s.setString(1, sha256);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
