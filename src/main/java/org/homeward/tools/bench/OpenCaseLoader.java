package org.homeward.tools.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Fills a migrated database with open cases of made-up children, in bulk (COPY, a few thousand faces per
 * transaction): per case, {@code perCase} photos with one usable face each and that face's original embedding,
 * the rows the app writes when an investigator adds childhood photos. Case i, photo, face and embedding ids are
 * numbered from 1; the face on photo n has id n.
 */
public final class OpenCaseLoader {

    private static final int CHUNK = 5_000;

    private OpenCaseLoader() {
    }

    /** Writes {@code faces} faces, {@code perCase} to a case (the last case may have fewer), of {@code people}. */
    public static void load(Connection connection, String modelId, SyntheticFaces generator,
            List<SyntheticFaces.Identity> people, int faces, int perCase, Consumer<String> progress)
            throws SQLException, IOException {
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        long start = System.nanoTime();
        try {
            for (int from = 0; from < faces; from += CHUNK) {
                int to = Math.min(faces, from + CHUNK);
                StringBuilder cases = new StringBuilder();
                StringBuilder photos = new StringBuilder();
                StringBuilder faceRows = new StringBuilder();
                StringBuilder links = new StringBuilder();
                StringBuilder vectors = new StringBuilder((to - from) * 128 * 12);
                for (int f = from; f < to; f++) {
                    int caseIndex = f / perCase;
                    long caseId = caseIndex + 1L;
                    long id = f + 1L;
                    if (f % perCase == 0) {
                        cases.append(caseId).append("\tBENCH-").append(caseId).append("\tSynthetic child ").append(caseId)
                                .append("\topen\t").append(caseIndex % 2 == 0 ? "north" : "south").append("\tbench\tbench\n");
                    }
                    photos.append(id).append('\t').append(String.format(Locale.ROOT, "%064x", id))
                            .append("\timage/jpeg\t48000\t480\t640\tbench\tdone\n");
                    faceRows.append(id).append('\t').append(id).append("\t0\t160\t200\t180\t180\t1.0\t{}\tt\n");
                    links.append(caseId).append('\t').append(id).append("\tbench\n");
                    vectors.append(id).append('\t').append(id).append('\t').append(modelId).append("\toriginal\t[");
                    float[] v = generator.face(people.get(caseIndex));
                    for (int d = 0; d < v.length; d++) {
                        if (d > 0) {
                            vectors.append(',');
                        }
                        vectors.append(v[d]);
                    }
                    vectors.append("]\n");
                }
                copy(copy, "case_file (id, reference, child_name, status, unit, created_by, updated_by)", cases);
                copy(copy, "photo (id, sha256, content_type, byte_size, width, height, uploaded_by, state)", photos);
                copy(copy, "face (id, photo_id, face_index, box_x, box_y, box_width, box_height, detection_score,"
                        + " landmarks, usable)", faceRows);
                copy(copy, "case_photo (case_id, photo_id, added_by)", links);
                copy(copy, "embedding (id, face_id, model_id, kind, vector)", vectors);
                connection.commit();
                progress.accept(String.format(Locale.ROOT, "loaded %,d / %,d faces (%.0f s)", to, faces,
                        (System.nanoTime() - start) / 1e9));
            }
            // Rows were written with their ids: move the identity sequences past them, for a kept database.
            try (Statement s = connection.createStatement()) {
                for (String table : List.of("case_file", "photo", "face", "embedding")) {
                    s.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), (SELECT max(id) FROM " + table
                            + "))");
                }
            }
            connection.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void copy(CopyManager copy, String table, StringBuilder rows) throws SQLException, IOException {
        if (rows.length() > 0) {
            copy.copyIn("COPY " + table + " FROM STDIN",
                    new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8)));
        }
    }
}
