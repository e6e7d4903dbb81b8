package org.homeward.faces.index;

import java.util.Locale;

/** What an embedding holds (column {@code embedding.kind}): the face as photographed, or an aged-up projection of it. */
public enum EmbeddingKind {
    /** The face as photographed. */
    ORIGINAL,
    /** An aged-up (or down) projection of a face, showing the age it was made for. */
    PROJECTION;

    /** The value in the {@code embedding.kind} column. */
    public String stored() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind a column value names; a null column is an original (rows written before projections existed). */
    public static EmbeddingKind ofStored(String stored) {
        return switch (stored == null ? "original" : stored.toLowerCase(Locale.ROOT)) {
            case "original" -> ORIGINAL;
            case "projection" -> PROJECTION;
            default -> throw new IllegalArgumentException("unknown embedding kind '" + stored + "'");
        };
    }
}
