package org.homeward.web;

/** No such thing, or one the caller may not see: the same 404, so ids leak nothing. */
public abstract class NotVisible extends RuleViolation {

    protected NotVisible(String slug, String title, String what, Object id) {
        super(404, slug, title, "There is no " + what + " " + id + " that you may see.");
    }
}
