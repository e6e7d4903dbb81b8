package org.homeward.tools.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * A throwaway database on Homeward's PostgreSQL for a benchmark, built by the project's own migrations. It is
 * marked with a comment when created, and only a database carrying that mark is ever dropped or replaced, so
 * a mistyped name can never reach the app's data.
 */
public final class ScratchDatabase {

    static final String MARK = "homeward benchmark scratch database";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String name;

    private ScratchDatabase(String name) {
        this.name = name;
    }

    /** Refuses a name that is not a plain lower-case identifier, or that belongs to a database without the mark. */
    public static void checkName(String name) throws SQLException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must be lower-case letters, digits and _, not '" + name + "'");
        }
        if (state(name) == State.SOMEONE_ELSES) {
            throw new IllegalArgumentException("database " + name + " exists and is not a benchmark's scratch database;"
                    + " it is left alone: name another with --database");
        }
    }

    /**
     * Creates the database (from template1, which carries the vector extension), replacing a scratch database
     * of that name left by an earlier run, and migrates it; returns it with the migration result.
     */
    public static ScratchDatabase create(String name) throws SQLException {
        checkName(name);
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            dropIfExists(s, name);
            s.execute("CREATE DATABASE " + name + " TEMPLATE template1");
            s.execute("COMMENT ON DATABASE " + name + " IS '" + MARK + "'");
        }
        return new ScratchDatabase(name);
    }

    /** Runs the app's migrations (classpath db/migration, as the app's Flyway does at start). */
    public MigrateResult migrate() {
        return Flyway.configure()
                .dataSource(url(name), user(), password())
                .locations("classpath:db/migration")
                // the benchmark connects as the owner: V15 then grants nothing to a separate app role
                .placeholders(Map.of("app_role", user()))
                .load()
                .migrate();
    }

    public String name() {
        return name;
    }

    public Connection connect() throws SQLException {
        return connect(name);
    }

    public void drop() throws SQLException {
        dropIfExists(name);
    }

    /** Drops any database the owner role may drop, ending that role's own sessions in it; no mark is checked. */
    public static void dropIfExists(String database) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            dropIfExists(s, database);
        }
    }

    /**
     * PostgreSQL 15 refuses WITH (FORCE) to a role that is not a superuser while an autovacuum worker is in the
     * database (the worker has no role that may be signalled), and a fresh database with a table gets one
     * within a minute. A plain DROP stops autovacuum itself, so it follows when FORCE is refused for that.
     */
    private static void dropIfExists(Statement s, String database) throws SQLException {
        try {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            s.execute("DROP DATABASE IF EXISTS " + database);
        }
    }

    public static boolean exists(String name) throws SQLException {
        return state(name) != State.ABSENT;
    }

    private enum State {
        ABSENT,
        SCRATCH,
        SOMEONE_ELSES
    }

    private static State state(String name) throws SQLException {
        try (Connection c = connect("postgres");
                PreparedStatement q = c.prepareStatement(
                        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return State.ABSENT;
                }
                return MARK.equals(rs.getString(1)) ? State.SCRATCH : State.SOMEONE_ELSES;
            }
        }
    }

    /** Where the database lives: $HOMEWARD_HOST, $HOMEWARD_PG_PORT (127.0.0.1:55432 by default). */
    public static String url(String database) {
        return "jdbc:postgresql://" + env("HOMEWARD_HOST", "127.0.0.1") + ":" + env("HOMEWARD_PG_PORT", "55432") + "/"
                + database;
    }

    private static Connection connect(String database) throws SQLException {
        try {
            return DriverManager.getConnection(url(database), user(), password());
        } catch (SQLException e) {
            throw new SQLException("cannot reach PostgreSQL at " + url(database) + " as " + user() + " (" + e.getMessage()
                    + "); is it running? deploy/homeward up starts it", e.getSQLState(), e);
        }
    }

    private static String user() {
        return env("HOMEWARD_PG_USER", "homeward");
    }

    private static String password() {
        return env("HOMEWARD_PG_PASSWORD", "homeward");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
