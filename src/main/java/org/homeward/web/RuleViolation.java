package org.homeward.web;

import java.util.Map;

/**
 * A request broke one of Homeward's rules. Subclasses are named after the rule they guard; the
 * mapper turns each into a problem+json answer with its status and a message a person can act on.
 */
public abstract class RuleViolation extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;

    protected RuleViolation(int status, String slug, String title, String message) {
        super(message);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    /** A stable short name for the rule, used as the problem type (e.g. "photo-too-large"). */
    public String slug() {
        return slug;
    }

    /** A short title for the kind of problem; the message says what exactly went wrong. */
    public final String title() {
        return title;
    }

    /** Messages per input field, for forms that show each next to its field; empty when none applies. */
    public Map<String, String> fieldErrors() {
        return Map.of();
    }
}
