package org.homeward.cases;

/** Where a case stands; only open cases are searched. Lower case: these are the stored values. */
public enum CaseStatus {
    open, found, closed
}
