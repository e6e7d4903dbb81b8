package org.homeward.cases;

/** A child's age on a date, in years: one value when the date of birth is known, a range when it is estimated. */
public record AgeRange(double youngest, double oldest) {

    /** The middle of the range: the age to plan and show when one number is needed. */
    public double middle() {
        return (youngest + oldest) / 2;
    }
}
