package org.homeward.web;

import java.util.LinkedHashMap;
import java.util.Map;

/** A request whose fields break rules (422): one message per field, shown beside it on forms. Nothing changed. */
public abstract class InvalidInput extends RuleViolation {

    private final Map<String, String> errors;

    protected InvalidInput(String slug, String title, String message, Map<String, String> errors) {
        super(422, slug, title, message);
        this.errors = new LinkedHashMap<>(errors);
    }

    @Override
    public Map<String, String> fieldErrors() {
        return errors;
    }
}
