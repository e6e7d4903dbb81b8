package org.homeward.tools.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's HNSW index on {@code embedding}, as the migrations define it: its name, its definition (so it can
 * be dropped before a bulk load and built again afterwards exactly as written) and its build parameters, read
 * from the index's storage options, with pgvector's defaults where the migration sets none.
 */
public record HnswIndex(String name, String definition, int m, int efConstruction, boolean defaults) {

    /** pgvector's defaults for an HNSW index without options. */
    public static final int DEFAULT_M = 16;
    public static final int DEFAULT_EF_CONSTRUCTION = 64;

    /** How long a build took, and what PostgreSQL said while it ran (e.g. that the graph outgrew its memory). */
    public record Build(long nanos, String maintenanceWorkMem, String parallelWorkers, List<String> notices) {
    }

    /** The one HNSW index on {@code embedding} whose predicate names {@code modelId}. */
    public static HnswIndex of(Connection connection, String modelId) throws SQLException {
        List<HnswIndex> found = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement("""
                SELECT i.indexname, i.indexdef, c.reloptions
                  FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname AND c.relkind = 'i'
                 WHERE i.schemaname = current_schema() AND i.tablename = 'embedding'
                   AND i.indexdef ILIKE '%USING hnsw%' AND strpos(i.indexdef, '''' || ? || '''') > 0""")) {
            q.setString(1, modelId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    int m = DEFAULT_M;
                    int ef = DEFAULT_EF_CONSTRUCTION;
                    boolean defaults = true;
                    Array options = rs.getArray(3);
                    if (options != null) {
                        for (String option : (String[]) options.getArray()) {
                            String[] kv = option.split("=", 2);
                            if (kv[0].equals("m")) {
                                m = Integer.parseInt(kv[1]);
                                defaults = false;
                            } else if (kv[0].equals("ef_construction")) {
                                ef = Integer.parseInt(kv[1]);
                                defaults = false;
                            }
                        }
                    }
                    found.add(new HnswIndex(rs.getString(1), rs.getString(2), m, ef, defaults));
                }
            }
        }
        if (found.size() != 1) {
            throw new IllegalStateException("expected one HNSW index on embedding for model " + modelId
                    + " in the migrations, found " + found.size() + ": " + found);
        }
        return found.get(0);
    }

    /** The same index built with other parameters (to measure them; the migration stays as it is). */
    public HnswIndex withParameters(int m, int efConstruction) {
        String options = " WITH (m = " + m + ", ef_construction = " + efConstruction + ")";
        String bare = definition.replaceFirst("\\s+WITH\\s*\\([^)]*\\)", "");
        int where = bare.indexOf(" WHERE ");
        String changed = where < 0 ? bare + options : bare.substring(0, where) + options + bare.substring(where);
        return new HnswIndex(name, changed, m, efConstruction, false);
    }

    public void drop(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DROP INDEX " + name);
        }
    }

    /** Builds the index again from its definition, with the server's settings; the clock covers CREATE INDEX. */
    public Build build(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            String memory = EfSearchConnection.setting(connection, "maintenance_work_mem");
            String workers = EfSearchConnection.setting(connection, "max_parallel_maintenance_workers");
            long t = System.nanoTime();
            s.execute(definition);
            long nanos = System.nanoTime() - t;
            List<String> notices = new ArrayList<>();
            for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                notices.add(w.getMessage());
            }
            return new Build(nanos, memory, workers, notices);
        }
    }

    /** Sizes in MiB: the embedding table (heap and TOAST), this index, all of embedding's indexes, the database. */
    public Map<String, Object> sizes(Connection connection) throws SQLException {
        Map<String, Object> sizes = new LinkedHashMap<>();
        try (PreparedStatement q = connection.prepareStatement("""
                SELECT pg_table_size('embedding'), pg_relation_size(?::regclass), pg_indexes_size('embedding'),
                       pg_table_size('face') + pg_table_size('photo') + pg_table_size('case_photo')
                           + pg_table_size('case_file'),
                       pg_database_size(current_database())""")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                String[] keys = {"embedding_table", "hnsw_index", "embedding_all_indexes", "face_photo_case_tables",
                    "database"};
                for (int i = 0; i < keys.length; i++) {
                    sizes.put(keys[i], Series.round(rs.getLong(i + 1) / 1024.0 / 1024.0, 1));
                }
            }
        }
        return sizes;
    }

    /** The PostgreSQL settings that decide search and build speed, and the server and pgvector versions. */
    public static Map<String, Object> serverSettings(Connection connection) throws SQLException {
        Map<String, Object> settings = new LinkedHashMap<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")) {
            settings.put("server_version", connection.getMetaData().getDatabaseProductVersion());
            settings.put("pgvector", rs.next() ? rs.getString(1) : null);
        }
        for (String name : List.of("shared_buffers", "effective_cache_size", "work_mem", "maintenance_work_mem",
                "max_parallel_workers_per_gather", "max_parallel_maintenance_workers", "jit", "plan_cache_mode",
                "hnsw.ef_search", "hnsw.iterative_scan", "hnsw.max_scan_tuples")) {
            settings.put(name, EfSearchConnection.setting(connection, name));
        }
        return settings;
    }
}
