package org.homeward.web;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * A moment read by a native query: Hibernate hands a timestamptz column back as an Instant, an OffsetDateTime or a
 * java.sql.Timestamp depending on the query's path, so every reader of one goes through here.
 */
public final class SqlTimes {

    private SqlTimes() {
    }

    /** The instant of a native query's timestamp value; null stays null. */
    public static Instant instant(Object value) {
        if (value == null || value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof OffsetDateTime at) {
            return at.toInstant();
        }
        if (value instanceof Timestamp at) {
            return at.toInstant();
        }
        throw new IllegalArgumentException("not a timestamp: " + value.getClass().getName());
    }
}
