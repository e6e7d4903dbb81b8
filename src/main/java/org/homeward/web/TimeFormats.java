package org.homeward.web;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How pages show moments: to the minute, in UTC, said so; the audit trail keeps the exact instant. */
@TemplateExtension
public final class TimeFormats {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private TimeFormats() {
    }

    /** {@code {event.at.minute}}: "2026-11-28 11:42 UTC". */
    public static String minute(Instant instant) {
        return instant == null ? "" : MINUTE.format(instant);
    }
}
