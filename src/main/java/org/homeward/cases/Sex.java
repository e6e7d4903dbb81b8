package org.homeward.cases;

/** The child's sex as recorded in the case; unknown is never guessed. Lower case: the stored values. */
public enum Sex {
    female, male, unknown
}
