package org.homeward.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.function.DoubleUnaryOperator;
import org.homeward.cases.CaseFile;
import org.homeward.cases.Sex;
import org.junit.jupiter.api.Test;

/** Which cases a sighting can be: hard constraints exclude, soft ones caution, each with its reason. */
class PlausibilityTest {

    /** The shipped age estimator's error table, rounded: ~2.6 years for small children, ~11 for adults. */
    static final DoubleUnaryOperator ERROR = age -> age < 6 ? 2.6 : age < 13 ? 3.3 : age < 19 ? 8.5 : 11.4;

    static CaseFile child(String born, String lastSeen, Sex sex) {
        CaseFile c = new CaseFile();
        c.birthDate = born == null ? null : LocalDate.parse(born);
        c.lastSeenDate = lastSeen == null ? null : LocalDate.parse(lastSeen);
        c.sex = sex;
        return c;
    }

    static Plausibility.Sighted seen(String date, Float age, Sex sex) {
        return new Plausibility.Sighted(LocalDate.parse(date), sex, age, ERROR);
    }

    @Test
    void aChildOfTheRightAgeFitsWithoutCaution() {
        var v = Plausibility.check(child("2005-01-01", "2010-01-01", Sex.female), seen("2025-01-01", 22f, Sex.female));
        assertFalse(v.excluded());
        assertTrue(v.cautions().isEmpty(), v.cautions().toString());
    }

    @Test
    void aToddlerCannotBeAnAdultFace() {
        var v = Plausibility.check(child("2023-01-01", null, Sex.unknown), seen("2025-01-01", 25f, Sex.unknown));
        assertTrue(v.excluded());
        assertTrue(v.exclusion().contains("too young"), v.exclusion());
    }

    @Test
    void adultAgeEstimatesAreTooUncertainToExcludeOnTheirOwn() {
        // 30 years old on the sighting date, face estimated 5: the adult error (~11 years) allows it, with a caution.
        var v = Plausibility.check(child("1995-01-01", "2000-01-01", Sex.male), seen("2025-01-01", 5f, Sex.male));
        assertFalse(v.excluded());
        assertEquals(1, v.cautions().size());
        assertTrue(v.cautions().get(0).contains("younger"), v.cautions().toString());
    }

    @Test
    void aGapWithinTwoStandardDeviationsIsNoCaution() {
        assertTrue(Plausibility.check(child("1995-01-01", null, Sex.male), seen("2025-01-01", 12f, Sex.male))
                .cautions().isEmpty());
    }

    @Test
    void seenBeforeGoingMissingOrBeforeBirthIsExcluded() {
        assertTrue(Plausibility.check(child("2000-01-01", "2010-06-01", Sex.female), seen("2010-05-31", 10f, Sex.female))
                .exclusion().contains("before the child went missing"));
        assertFalse(Plausibility.check(child("2000-01-01", "2010-06-01", Sex.female), seen("2010-06-01", 10f, Sex.female))
                .excluded(), "seen on the day they went missing is possible");
        assertTrue(Plausibility.check(child("2020-01-01", null, Sex.female), seen("2019-01-01", 1f, Sex.female))
                .exclusion().contains("before the child was born"));
    }

    @Test
    void aDifferentReportedSexIsACautionNotAnExclusion() {
        var v = Plausibility.check(child("2005-01-01", null, Sex.female), seen("2025-01-01", 20f, Sex.male));
        assertFalse(v.excluded());
        assertTrue(v.cautions().get(0).contains("reports male"), v.cautions().toString());
        assertTrue(Plausibility.check(child("2005-01-01", null, Sex.unknown), seen("2025-01-01", 20f, Sex.male))
                .cautions().isEmpty(), "unknown sex is never a caution");
    }

    @Test
    void whatCouldNotBeCheckedIsSaid() {
        assertTrue(Plausibility.check(child(null, null, Sex.unknown), seen("2025-01-01", 20f, Sex.unknown))
                .cautions().get(0).contains("no date of birth"));
        assertTrue(Plausibility.check(child("2005-01-01", null, Sex.unknown), new Plausibility.Sighted(
                LocalDate.parse("2025-01-01"), Sex.unknown, null, ERROR)).cautions().get(0).contains("No age could be estimated"));
    }

    @Test
    void aBirthRangeCountsEveryAgeInIt() {
        CaseFile c = child(null, null, Sex.unknown);
        c.birthDateEarliest = LocalDate.parse("2000-01-01");
        c.birthDateLatest = LocalDate.parse("2004-01-01");
        // 21 to 25 on the sighting date: an estimate of 23 fits exactly.
        assertTrue(Plausibility.check(c, seen("2025-01-01", 23f, Sex.unknown)).cautions().isEmpty());
    }
}
