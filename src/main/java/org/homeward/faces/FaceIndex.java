package org.homeward.faces;

import com.pgvector.PGvector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hibernate.Session;

/**
 * Face embeddings in pgvector: stored with their model and kind, searched by cosine distance through
 * the model's HNSW index. Plain JDBC with pgvector's types, since every query needs the model's own
 * dimension in its SQL to reach that model's partial index.
 */
@ApplicationScoped
public class FaceIndex {

    /** Which faces a search may return. */
    public enum Scope {
        /** Every embedded face of the model. */
        ALL,
        /** Only the child's face on the photos of open cases (the marked face, or a photo's only usable face). */
        OPEN_CASES
    }

    /** A face near the query: its id, photo, owning case (for OPEN_CASES), kind, age shown, and cosine distance. */
    public record Neighbour(long faceId, long photoId, Long caseId, String kind, Float showsAge, double distance) {
    }

    /** How many candidates the HNSW scan keeps; more finds more of the true neighbours, slower. */
    static final int EF_SEARCH = 100;

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    public void store(long faceId, String modelId, String kind, Float showsAge, float[] vector) {
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO embedding (face_id, model_id, kind, shows_age, vector) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (face_id, model_id, kind, shows_age) DO UPDATE SET vector = excluded.vector""")) {
                insert.setLong(1, faceId);
                insert.setString(2, modelId);
                insert.setString(3, kind);
                insert.setObject(4, showsAge);
                insert.setObject(5, new PGvector(vector));
                insert.executeUpdate();
            }
        });
    }

    /** The k faces nearest to {@code query} among the model's embeddings in {@code scope}, nearest first. */
    @Transactional
    public List<Neighbour> nearest(String modelId, float[] query, int k, Scope scope) {
        int dim = query.length;
        int limit = Math.max(1, Math.min(k, 1000));
        // The dimension and k are integers put into the SQL on purpose: the cast must match the partial
        // index expression, and a bound LIMIT can make the planner skip the index.
        String vectorExpr = "e.vector::vector(" + dim + ")";
        String caseJoin = scope == Scope.OPEN_CASES ? """
                JOIN case_photo cp ON cp.photo_id = f.photo_id
                JOIN case_file c ON c.id = cp.case_id AND c.status = 'open'
                """ : "";
        String caseFilter = scope == Scope.OPEN_CASES ? """
                AND (cp.child_face_id = f.id
                     OR (cp.child_face_id IS NULL
                         AND NOT EXISTS (SELECT 1 FROM face o WHERE o.photo_id = f.photo_id AND o.usable AND o.id <> f.id)))
                """ : "";
        String sql = "SELECT e.face_id, f.photo_id, " + (scope == Scope.OPEN_CASES ? "c.id" : "NULL::bigint")
                + ", e.kind, e.shows_age, " + vectorExpr + " <=> ?::vector(" + dim + ") AS distance"
                + " FROM embedding e JOIN face f ON f.id = e.face_id " + caseJoin
                + " WHERE e.model_id = ? " + caseFilter
                + " ORDER BY " + vectorExpr + " <=> ?::vector(" + dim + ") LIMIT " + limit;
        List<Neighbour> result = new ArrayList<>();
        em.unwrap(Session.class).doWork(connection -> {
            try (Statement settings = connection.createStatement()) {
                // Filtered HNSW scans stop early without this and return fewer than k rows.
                settings.execute("SET LOCAL hnsw.iterative_scan = relaxed_order");
                settings.execute("SET LOCAL hnsw.ef_search = " + EF_SEARCH);
            }
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                PGvector vector = new PGvector(query);
                select.setObject(1, vector);
                select.setString(2, modelId);
                select.setObject(3, vector);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        result.add(new Neighbour(rs.getLong(1), rs.getLong(2), (Long) rs.getObject(3),
                                rs.getString(4), (Float) rs.getObject(5), rs.getDouble(6)));
                    }
                }
            }
        });
        // relaxed_order may return rows slightly out of order.
        result.sort(Comparator.comparingDouble(Neighbour::distance));
        return result;
    }
}
