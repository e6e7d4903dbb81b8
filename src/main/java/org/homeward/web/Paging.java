package org.homeward.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The arithmetic and query strings every paged list page shares. */
public final class Paging {

    private Paging() {
    }

    /** How many pages {@code total} rows fill; at least one, so an empty list still has a page. */
    public static int pageCount(long total, int pageSize) {
        return (int) Math.max(1, (total + pageSize - 1) / pageSize);
    }

    /** The requested page index, kept inside the pages that exist. */
    public static int clamp(int page, int pageCount) {
        return Math.max(0, Math.min(page, pageCount - 1));
    }

    /** A query string value; null becomes empty. */
    public static String enc(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
