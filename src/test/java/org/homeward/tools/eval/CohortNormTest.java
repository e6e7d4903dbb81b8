package org.homeward.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A case face that resembles every adult of the cohort loses its head start; one's own identity is left out. */
class CohortNormTest {

    private static Manifest.Photo photo(String name, String identity) {
        return new Manifest.Photo(1, Path.of(name), name, identity, null);
    }

    @Test
    void aFaceLikeEveryoneIsMarkedDownAgainstAFaceLikeNoOne() {
        Manifest.Photo generic = photo("generic", "a");
        Manifest.Photo distinct = photo("distinct", "b");
        Manifest.Photo ownAdult = photo("own-adult", "b");
        List<Manifest.Photo> cohort = List.of(photo("c1", "x"), photo("c2", "y"), ownAdult);
        Map<Path, float[]> v = Map.of(
                generic.file(), new float[] {1, 0, 0},
                distinct.file(), new float[] {0, 0, 1},
                Path.of("c1"), new float[] {0.9f, 0.1f, 0},
                Path.of("c2"), new float[] {0.8f, 0.2f, 0},
                ownAdult.file(), new float[] {0, 0, 1});
        CohortNorm norm = CohortNorm.of(CohortNorm.Mode.mean, 2, List.of(generic, distinct), cohort, v::get);
        // both faces are 0.9 alike to a probe; the generic one was already ~0.98 alike to the cohort's adults
        double g = norm.score(generic, 0.9);
        double d = norm.score(distinct, 0.9);
        assertTrue(d > g + 0.5, "generic " + g + ", distinct " + d);
        // "distinct"'s own adult photo (identity b) is not part of its cohort: its mean is the two others' (0)
        assertEquals(0.9, d, 1e-6);
    }
}
