package org.homeward.web;

import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;

/**
 * How pages show moments: to the minute, written in UTC and marked up with the instant, so that the pages' script
 * (static/local-time.js) shows it in the reader's own time zone; without the script, or printed, UTC says so. The audit
 * trail keeps the exact instant.
 */
@TemplateExtension
public final class TimeFormats {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private TimeFormats() {
    }

    /** {@code {event.at.minute}}: a time element reading "2026-11-28 11:42 UTC" until the script localises it. */
    public static RawString minute(Instant instant) {
        if (instant == null) {
            return new RawString("");
        }
        // both strings are formatted from an Instant: digits, dashes, colons and letters only, nothing to escape
        return new RawString("<time datetime=\"" + DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS))
                + "\" data-local>" + MINUTE.format(instant) + "</time>");
    }
}
