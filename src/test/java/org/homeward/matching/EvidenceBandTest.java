package org.homeward.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.homeward.matching.EvidenceCalibration.Band;
import org.homeward.matching.EvidenceCalibration.Evidence;
import org.junit.jupiter.api.Test;

/** The verbal scale (ENFSI 2015) at and around its boundaries, mirrored below LR 1. */
class EvidenceBandTest {

    @Test
    void eachBoundaryBelongsToTheStrongerBand() {
        Object[][] cases = {
            {1.0, Band.NEUTRAL}, {Math.nextUp(1.0), Band.WEAK_SAME}, {9.999, Band.WEAK_SAME}, {10.0, Band.MODERATE_SAME},
            {99.99, Band.MODERATE_SAME}, {100.0, Band.MODERATELY_STRONG_SAME}, {999.9, Band.MODERATELY_STRONG_SAME},
            {1000.0, Band.STRONG_SAME}, {9999.0, Band.STRONG_SAME}, {10_000.0, Band.VERY_STRONG_SAME},
            {999_999.0, Band.VERY_STRONG_SAME}, {1_000_000.0, Band.EXTREMELY_STRONG_SAME},
            {Math.nextDown(1.0), Band.WEAK_DIFFERENT}, {0.10001, Band.WEAK_DIFFERENT}, {0.1, Band.MODERATE_DIFFERENT},
            {0.010001, Band.MODERATE_DIFFERENT}, {0.01, Band.MODERATELY_STRONG_DIFFERENT}, {0.001, Band.STRONG_DIFFERENT},
            {1e-4, Band.VERY_STRONG_DIFFERENT}, {1.0001e-6, Band.VERY_STRONG_DIFFERENT}, {1e-6, Band.EXTREMELY_STRONG_DIFFERENT},
        };
        for (Object[] c : cases) {
            assertEquals(c[1], Band.of((Double) c[0]), "LR " + c[0]);
        }
    }

    @Test
    void theScaleBelowOneMirrorsTheScaleAboveOne() {
        List<Band> same = List.of(Band.WEAK_SAME, Band.MODERATE_SAME, Band.MODERATELY_STRONG_SAME, Band.STRONG_SAME,
                Band.VERY_STRONG_SAME, Band.EXTREMELY_STRONG_SAME);
        List<Band> different = List.of(Band.WEAK_DIFFERENT, Band.MODERATE_DIFFERENT, Band.MODERATELY_STRONG_DIFFERENT,
                Band.STRONG_DIFFERENT, Band.VERY_STRONG_DIFFERENT, Band.EXTREMELY_STRONG_DIFFERENT);
        for (double lr : new double[] {1.5, 10, 42, 100, 1000, 5000, 10_000, 1e6, 3e7}) {
            Band up = Band.of(lr);
            Band down = Band.of(1 / lr);
            assertEquals(same.indexOf(up), different.indexOf(down), "LR " + lr + " is " + up + ", 1/LR is " + down);
            assertTrue(up.supportsSamePerson());
            assertFalse(down.supportsSamePerson());
        }
        assertFalse(Band.NEUTRAL.supportsSamePerson());
    }

    @Test
    void labelsAndExplanationsSayWhatTheLrMeans() {
        assertEquals("moderate support for same person", Band.MODERATE_SAME.label());
        assertEquals("weak support for different persons", Band.WEAK_DIFFERENT.label());
        assertTrue(Band.MODERATE_SAME.explanation().contains("10 to 100 times more probable if the sighting and the case show"
                + " the same person"), Band.MODERATE_SAME.explanation());
        assertTrue(Band.STRONG_DIFFERENT.explanation().contains("1,000 to 10,000 times more probable if the sighting and the case"
                + " show different persons"), Band.STRONG_DIFFERENT.explanation());
        for (Band b : Band.values()) {
            assertFalse(b.label().isBlank());
            assertTrue(b == Band.NEUTRAL || b.explanation().contains("not a probability"), b.explanation());
        }
    }

    @Test
    void evidenceCarriesTheBandOfItsLr() {
        Evidence e = Evidence.of(250);
        assertEquals(Band.MODERATELY_STRONG_SAME, e.band());
        assertEquals(Math.log10(250), e.log10(), 1e-12);
        assertEquals(-1, Evidence.of(0.1).log10(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new Evidence(250, Band.STRONG_SAME));
        assertThrows(IllegalArgumentException.class, () -> Evidence.of(0));
        assertThrows(IllegalArgumentException.class, () -> Evidence.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Evidence.of(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Band.of(-1));
    }
}
