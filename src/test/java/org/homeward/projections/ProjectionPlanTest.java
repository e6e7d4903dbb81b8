package org.homeward.projections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.homeward.models.Landmarks;
import org.junit.jupiter.api.Test;

/** Which ages a child face is projected to, and the reasons a face gets none. */
class ProjectionPlanTest {

    static final LocalDate TODAY = LocalDate.of(2026, 6, 1);
    static final ProjectionPlan.Rules RULES = ProjectionPlan.Rules.DEFAULTS;

    /** A frontal face with {@code eyes} pixels between the eye centres. */
    static Landmarks face(double eyes) {
        double r = 100 + eyes / 2;
        double l = 100 - eyes / 2;
        return new Landmarks(new double[] {r + 8, r - 8, l - 8, l + 8, 100}, new double[] {100, 100, 100, 100, 100 + eyes * 0.8});
    }

    static ProjectionPlan plan(Landmarks l, Float yaw, Float ageAtPhoto, LocalDate takenOn, LocalDate born) {
        return ProjectionPlan.of(new ProjectionPlan.Subject(l, yaw, ageAtPhoto, takenOn, born, null, null), TODAY, RULES);
    }

    @Test
    void projectsEveryTwoYearsUntilEighteenThenEveryFiveAndToToday() {
        ProjectionPlan p = plan(face(60), 0.02f, null, LocalDate.of(2010, 6, 1), LocalDate.of(2006, 6, 1));
        assertTrue(p.projected());
        assertEquals(4.0, p.sourceAge(), 0.01);
        assertEquals(List.of(6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 20.0), p.targets(),
                "every even age from two years after the photo to 18, then today's age");
    }

    @Test
    void anEstimatedBirthRangeCountsFromItsMiddle() {
        ProjectionPlan p = ProjectionPlan.of(new ProjectionPlan.Subject(face(60), 0f, null, LocalDate.of(2012, 1, 1), null,
                LocalDate.of(2005, 1, 1), LocalDate.of(2007, 1, 1)), TODAY, RULES);
        assertEquals(6.0, p.sourceAge(), 0.01);
        assertEquals(List.of(8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 20.0), p.targets());
    }

    @Test
    void withoutABirthDateOnlyAnExplicitAgeAllowsProjections() {
        ProjectionPlan unknown = plan(face(60), 0f, null, LocalDate.of(2015, 1, 1), null);
        assertFalse(unknown.projected());
        assertTrue(unknown.reason().contains("age in this photo is unknown"), unknown.reason());
        assertTrue(unknown.targets().isEmpty());

        ProjectionPlan dated = plan(face(60), 0f, 3f, LocalDate.of(2016, 6, 1), null);
        assertEquals(List.of(6.0, 8.0, 10.0, 13.0), dated.targets(), "today's age = the given age + the years since the photo");

        ProjectionPlan undated = plan(face(60), 0f, 3f, null, null);
        assertEquals(List.of(6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 20.0, 23.0), undated.targets(),
                "no date at all: up to the horizon (20 years), every 5 years after 18");
    }

    @Test
    void aFaceTooSmallOrTooTurnedGetsNoProjectionAndSaysWhy() {
        ProjectionPlan small = plan(face(20), 0f, 4f, null, null);
        assertFalse(small.projected());
        assertTrue(small.reason().startsWith("face too small to project: 20 px between the eyes, at least 32 needed"),
                small.reason());
        ProjectionPlan turned = plan(face(60), 0.38f, 4f, null, null);
        assertFalse(turned.projected());
        assertTrue(turned.reason().contains("turned too far") && turned.reason().contains("0.38"), turned.reason());
        assertTrue(turned.targets().isEmpty());
    }

    @Test
    void aRecentPhotoNeedsNoProjectionYet() {
        ProjectionPlan p = plan(face(60), 0f, null, LocalDate.of(2025, 6, 1), LocalDate.of(2020, 6, 1));
        assertFalse(p.projected());
        assertTrue(p.reason().startsWith("nothing to project yet"), p.reason());
        assertEquals(5.0, p.sourceAge(), 0.01);
    }

    @Test
    void anAdultAtThePhotoIsProjectedEveryFiveYears() {
        ProjectionPlan p = plan(face(60), 0f, 17f, null, null);
        assertEquals(List.of(20.0, 25.0, 30.0, 35.0, 37.0), p.targets(), "18 is too close to 17; then multiples of 5");
    }

    @Test
    void aNewYearOfAgeChangesThePlanSoTheDailyCheckRedraws() {
        ProjectionPlan before = ProjectionPlan.of(new ProjectionPlan.Subject(face(60), 0f, null, LocalDate.of(2010, 6, 1),
                LocalDate.of(2006, 6, 2), null, null), LocalDate.of(2026, 6, 1), RULES);
        ProjectionPlan after = ProjectionPlan.of(new ProjectionPlan.Subject(face(60), 0f, null, LocalDate.of(2010, 6, 1),
                LocalDate.of(2006, 6, 2), null, null), LocalDate.of(2026, 6, 3), RULES);
        assertEquals(19.0, before.targets().get(before.targets().size() - 1));
        assertEquals(20.0, after.targets().get(after.targets().size() - 1));
        assertNull(after.reason());
    }
}
