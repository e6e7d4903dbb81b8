package org.homeward.cases;

import java.util.Map;

/**
 * Who a case photo shows. Only the child's faces are searched and projected; a relative's adult face steers the
 * adult end of the child's projections (family resemblance) and is never searched. Lower case: the stored values.
 */
public enum PhotoSubject {
    child("the missing child"), parent("a parent, as an adult"), sibling("a brother or sister, as an adult");

    private final String label;

    PhotoSubject(String label) {
        this.label = label;
    }

    /** In words, as the pages offer it. */
    public String label() {
        return label;
    }

    public boolean relative() {
        return this != child;
    }

    /** The subject named by a form or query value; null for none given. */
    public static PhotoSubject parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (PhotoSubject s : values()) {
            if (s.name().equals(value.trim())) {
                return s;
            }
        }
        throw new CaseRules.CaseInvalid(Map.of("shows", "A photo shows the child, a parent or a sibling, not \""
                + value.trim() + "\"."));
    }
}
