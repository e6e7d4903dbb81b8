package org.homeward.faces.index;

import com.pgvector.PGvector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

/**
 * Face embeddings in pgvector: stored with their model and kind, searched by cosine distance through
 * the model's HNSW index. Plain JDBC with pgvector's types, since every query needs the model's own
 * dimension in its SQL to reach that model's partial index. The static methods take a connection, so the
 * search benchmark runs exactly the queries the app runs.
 */
@ApplicationScoped
public class FaceIndex {

    /** Which faces a search may return. */
    public enum Scope {
        /** Every embedded face of the model. */
        ALL,
        /**
         * The child's face on the photos of open cases (the marked face, or a photo's only usable face), with
         * every embedding of it: the original and its age projections. The neighbour's owner is the case.
         */
        OPEN_CASES,
        /** Every usable face on the photos of sightings; the neighbour's owner is the sighting. */
        SIGHTINGS
    }

    /**
     * A face near the query: its id, photo, owner (the case for OPEN_CASES, the sighting for SIGHTINGS, else
     * null), {@link EmbeddingKind}, the age it shows (projections), cosine distance, and its stored
     * vector where the query returns it ({@link #caseFaces}: the search's cohort normalisation needs it), else null.
     */
    public record Neighbour(long faceId, long photoId, Long ownerId, EmbeddingKind kind, Float showsAge, double distance,
            float[] vector) {

        public Neighbour(long faceId, long photoId, Long ownerId, EmbeddingKind kind, Float showsAge, double distance) {
            this(faceId, photoId, ownerId, kind, showsAge, distance, null);
        }
    }

    /**
     * How many candidates the HNSW scan keeps; more finds more of the true neighbours, slower. 400 for the
     * sighting search's k = 100: over 100,000 faces it kept recall at 0.97 (0.82 at 100) and the ranked list
     * well under 0.1 s on 2 cores (deploy/homeward bench search, docs/performance.md).
     */
    public static final int EF_SEARCH = 400;

    /**
     * Up to this many stored vectors (all models, as PostgreSQL's statistics count them) a search reads every one
     * and is exact. HNSW is approximate: an element can lose its incoming links and never be returned, which small
     * graphs full of near-duplicates (the same photo of a child on a case and on a sighting, each with its
     * projections) make likely. Seen in ReviewFlowTest: the sighting's face, identical to the case's, was missing from
     * the index's answer and the past sighting was never re-searched. A scan of 20,000 vectors of 128 floats takes
     * milliseconds; above it the index's speed is needed and its recall is measured (docs/performance.md).
     */
    public static final long EXACT_UP_TO = 20_000;

    /** The searched face of each open case's photos (the rule is the view's, db-migrations/V16). */
    private static final String CHILD_FACE_OF_OPEN_CASE = """
            JOIN case_searched_face sf ON sf.face_id = f.id
            JOIN case_file c ON c.id = sf.case_id AND c.status = 'open'
            """;

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    public void store(long faceId, String modelId, EmbeddingKind kind, Float showsAge, float[] vector) {
        em.unwrap(Session.class).doWork(connection -> store(connection, faceId, modelId, kind, showsAge, vector));
    }

    public static void store(Connection connection, long faceId, String modelId, EmbeddingKind kind, Float showsAge,
            float[] vector) throws SQLException {
        // NULL never equals NULL in a unique constraint, so an original (no age) is replaced by hand.
        if (showsAge == null) {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM embedding WHERE face_id = ? AND model_id = ? AND kind = ? AND shows_age IS NULL")) {
                delete.setLong(1, faceId);
                delete.setString(2, modelId);
                delete.setString(3, kind.stored());
                delete.executeUpdate();
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO embedding (face_id, model_id, kind, shows_age, vector) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (face_id, model_id, kind, shows_age) DO UPDATE SET vector = excluded.vector""")) {
            insert.setLong(1, faceId);
            insert.setString(2, modelId);
            insert.setString(3, kind.stored());
            insert.setObject(4, showsAge);
            insert.setObject(5, new PGvector(vector));
            insert.executeUpdate();
        }
    }

    /** The face's original embedding under the model, if it has one. */
    @Transactional
    public Optional<float[]> vectorOf(long faceId, String modelId) {
        List<float[]> found = new ArrayList<>(1);
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT vector FROM embedding WHERE face_id = ? AND model_id = ? AND kind = 'original'")) {
                select.setLong(1, faceId);
                select.setString(2, modelId);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        found.add(new PGvector(rs.getString(1)).toArray());
                    }
                }
            }
        });
        return found.stream().findFirst();
    }

    /** The k faces nearest to {@code query} among the model's embeddings in {@code scope}, nearest first. */
    @Transactional
    public List<Neighbour> nearest(String modelId, float[] query, int k, Scope scope) {
        List<Neighbour> result = new ArrayList<>();
        em.unwrap(Session.class).doWork(connection -> result.addAll(nearest(connection, modelId, query, k, scope)));
        return result;
    }

    /**
     * As {@link #nearest(String, float[], int, Scope)} on a connection that is in a transaction (the HNSW
     * settings are SET LOCAL).
     */
    public static List<Neighbour> nearest(Connection connection, String modelId, float[] query, int k, Scope scope)
            throws SQLException {
        return nearest(connection, modelId, query, k, scope, exact(connection));
    }

    /**
     * As {@link #nearest(Connection, String, float[], int, Scope)}, exact or through the HNSW index as {@code exact}
     * says, whatever the index's size: for the benchmark, which measures the index itself.
     */
    public static List<Neighbour> nearest(Connection connection, String modelId, float[] query, int k, Scope scope,
            boolean exact) throws SQLException {
        int dim = query.length;
        int limit = Math.max(1, Math.min(k, 1000));
        // The dimension and k are integers put into the SQL on purpose: the cast must match the partial
        // index expression, and a bound LIMIT can make the planner skip the index.
        String vectorExpr = "e.vector::vector(" + dim + ")";
        String owner;
        String join;
        String filter;
        switch (scope) {
            case OPEN_CASES -> {
                owner = "c.id";
                join = CHILD_FACE_OF_OPEN_CASE;
                filter = "";
            }
            case SIGHTINGS -> {
                owner = "sp.sighting_id";
                join = "JOIN sighting_photo sp ON sp.photo_id = f.photo_id ";
                filter = " AND f.usable ";
            }
            default -> {
                owner = "NULL::bigint";
                join = "";
                filter = "";
            }
        }
        // "+ 0" orders by an expression the HNSW index cannot serve, so the planner scans every row: exact.
        String distance = vectorExpr + " <=> ?::vector(" + dim + ")";
        String order = exact ? "(" + distance + ") + 0" : distance;
        String sql = "SELECT e.face_id, f.photo_id, " + owner + ", e.kind, e.shows_age, " + vectorExpr
                + " <=> ?::vector(" + dim + ") AS distance"
                + " FROM embedding e JOIN face f ON f.id = e.face_id " + join
                + " WHERE e.model_id = ? " + filter
                + " ORDER BY " + order + " LIMIT " + limit;
        try (Statement settings = connection.createStatement()) {
            // Filtered HNSW scans stop early without this and return fewer than k rows.
            settings.execute("SET LOCAL hnsw.iterative_scan = relaxed_order");
            settings.execute("SET LOCAL hnsw.ef_search = " + EF_SEARCH);
        }
        List<Neighbour> result = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            PGvector vector = new PGvector(query);
            select.setObject(1, vector);
            select.setString(2, modelId);
            select.setObject(3, vector);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.add(neighbour(rs));
                }
            }
        }
        // relaxed_order may return rows slightly out of order.
        result.sort(Comparator.comparingDouble(Neighbour::distance));
        return result;
    }

    /** Whether the index is small enough to be searched exactly ({@link #EXACT_UP_TO}); never analysed counts as small. */
    private static boolean exact(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT reltuples FROM pg_class WHERE oid = 'embedding'::regclass")) {
            return !rs.next() || rs.getDouble(1) <= EXACT_UP_TO;
        }
    }

    /**
     * Every searchable embedding (originals and projections) of the child's faces of these open cases, scored
     * against the query: what the case ranking needs once the nearest neighbours have named the candidates.
     */
    @Transactional
    public List<Neighbour> caseFaces(String modelId, float[] query, Collection<Long> caseIds) {
        List<Neighbour> result = new ArrayList<>();
        if (caseIds.isEmpty()) {
            return result;
        }
        em.unwrap(Session.class).doWork(connection -> result.addAll(caseFaces(connection, modelId, query, caseIds)));
        return result;
    }

    public static List<Neighbour> caseFaces(Connection connection, String modelId, float[] query,
            Collection<Long> caseIds) throws SQLException {
        int dim = query.length;
        String sql = "SELECT e.face_id, f.photo_id, c.id, e.kind, e.shows_age, e.vector::vector(" + dim
                + ") <=> ?::vector(" + dim + "), e.vector FROM embedding e JOIN face f ON f.id = e.face_id "
                + CHILD_FACE_OF_OPEN_CASE + " WHERE e.model_id = ? AND c.id = ANY (?)";
        List<Neighbour> result = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, new PGvector(query));
            select.setString(2, modelId);
            select.setArray(3, connection.createArrayOf("bigint", caseIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Neighbour n = neighbour(rs);
                    result.add(new Neighbour(n.faceId(), n.photoId(), n.ownerId(), n.kind(), n.showsAge(), n.distance(),
                            new PGvector(rs.getString(7)).toArray()));
                }
            }
        }
        result.sort(Comparator.comparingDouble(Neighbour::distance));
        return result;
    }

    /** The child's faces of an open case that have an original vector under the model: what a search compares. */
    @Transactional
    public List<Long> searchableFaces(String modelId, long caseId) {
        List<Long> ids = new ArrayList<>();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT f.id FROM embedding e"
                    + " JOIN face f ON f.id = e.face_id " + CHILD_FACE_OF_OPEN_CASE
                    + " WHERE e.model_id = ? AND e.kind = 'original' AND c.id = ? ORDER BY f.id")) {
                select.setString(1, modelId);
                select.setLong(2, caseId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
        });
        return ids;
    }

    private static Neighbour neighbour(ResultSet rs) throws SQLException {
        return new Neighbour(rs.getLong(1), rs.getLong(2), (Long) rs.getObject(3), EmbeddingKind.ofStored(rs.getString(4)),
                (Float) rs.getObject(5), rs.getDouble(6));
    }
}
