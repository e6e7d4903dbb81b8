package org.homeward.sightings;

import static org.homeward.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.Fgnet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The tracing workflow end to end on real photos (FG-NET dev), through the API with real tokens, the real
 * worker, models and pgvector: every dev identity with childhood photos (12 or under) becomes a case; adult
 * photos (18 or over) of five identities come in as sightings; the right case must be in the top ten for at
 * least four, the list must be ordered by evidence, and a case whose child would be far too young on the
 * sighting date must be left out.
 */
@QuarkusTest
@Tag("shared-app")
class FgnetTracingTest {

    /** Every case's child is born on this day; photo and sighting dates follow from the FG-NET ages. */
    static final LocalDate BORN = LocalDate.of(1950, 1, 1);

    static LocalDate atAge(int age) {
        return BORN.plusYears(age).plusMonths(6);
    }

    @Test
    void adultSightingsFindTheirChildhoodCase() throws Exception {
        assumeTrue(Fgnet.present(), "SKIPPED: FG-NET dev data absent");
        String user = DemoUsers.INVESTIGATOR_NORTH;
        Map<String, List<Fgnet.Photo>> byIdentity = new TreeMap<>();
        for (Fgnet.Photo p : Fgnet.photos()) {
            byIdentity.computeIfAbsent(p.identity(), k -> new ArrayList<>()).add(p);
        }

        Map<String, Long> caseOf = new LinkedHashMap<>();
        List<Long> photoIds = new ArrayList<>();
        for (var e : byIdentity.entrySet()) {
            List<Fgnet.Photo> childhood = e.getValue().stream().filter(p -> p.age() <= 12).toList();
            if (childhood.isEmpty()) {
                continue;
            }
            int oldest = childhood.stream().mapToInt(Fgnet.Photo::age).max().orElseThrow();
            long caseId = createCase(user, "FG-NET " + e.getKey(), BORN, atAge(oldest).plusMonths(3));
            caseOf.put(e.getKey(), caseId);
            for (Fgnet.Photo p : childhood) {
                photoIds.add(attach(user, caseId, p, "takenOn", atAge(p.age()).toString()));
            }
        }

        // Five identities with an adult photo: the youngest adult photo of each (the hardest, nearest the past).
        List<String> probes = byIdentity.entrySet().stream()
                .filter(e -> caseOf.containsKey(e.getKey()) && e.getValue().stream().anyMatch(p -> p.age() >= 18))
                .map(Map.Entry::getKey).limit(5).toList();
        assertEquals(5, probes.size(), "five identities with childhood and adult photos");

        // The decoy: the first probe's own childhood photos, filed as a child born two years before the sighting.
        String decoyIdentity = probes.get(0);
        Fgnet.Photo decoyProbe = adultPhoto(byIdentity.get(decoyIdentity));
        LocalDate decoySeen = atAge(decoyProbe.age());
        long decoy = createCase(user, "Decoy toddler", decoySeen.minusYears(2), null);
        for (Fgnet.Photo p : byIdentity.get(decoyIdentity)) {
            if (p.age() <= 1) {
                photoIds.add(attach(user, decoy, p, "ageAtPhoto", String.valueOf(p.age())));
            }
        }
        for (Fgnet.Photo p : byIdentity.get(decoyIdentity).stream().filter(p -> p.age() <= 12).limit(3).toList()) {
            if (p.age() > 1) {
                photoIds.add(attach(user, decoy, p, "ageAtPhoto", "1"));
            }
        }
        for (long id : photoIds) {
            Api.awaitPhoto(user, id);
        }

        int inTopTen = 0;
        List<String> report = new ArrayList<>();
        for (String identity : probes) {
            Fgnet.Photo adult = adultPhoto(byIdentity.get(identity));
            long photo = Api.uploadPhoto(DemoUsers.INVESTIGATOR_SOUTH, Files.readAllBytes(adult.path()), "image/jpeg");
            assertEquals("done", Api.awaitPhoto(DemoUsers.INVESTIGATOR_SOUTH, photo));
            long sighting = Api.createSighting(DemoUsers.INVESTIGATOR_SOUTH, atAge(adult.age()).toString(), List.of(photo));
            JsonPath s = Api.awaitSearch(DemoUsers.INVESTIGATOR_SOUTH, sighting);
            assertEquals("ready", s.getString("searchState"), "search of " + identity);

            List<Map<String, Object>> candidates = s.getList("candidates");
            long faceId = ((Number) candidates.get(0).get("sightingFaceId")).longValue();
            List<Map<String, Object>> forFace = candidates.stream()
                    .filter(c -> ((Number) c.get("sightingFaceId")).longValue() == faceId)
                    .sorted(Comparator.comparingInt(c -> ((Number) c.get("position")).intValue())).toList();
            double previousLr = Double.POSITIVE_INFINITY;
            for (Map<String, Object> c : forFace) {
                double lr = ((Number) c.get("likelihoodRatio")).doubleValue();
                assertTrue(lr <= previousLr + 1e-9, "candidates are ordered by evidence: " + forFace);
                previousLr = lr;
            }
            int rank = 0;
            for (Map<String, Object> c : forFace) {
                if (((Number) c.get("caseId")).longValue() == caseOf.get(identity)) {
                    rank = ((Number) c.get("position")).intValue();
                }
            }
            if (rank >= 1 && rank <= 10) {
                inTopTen++;
            }
            report.add(identity + " at " + adult.age() + ": rank " + (rank == 0 ? "not listed" : rank)
                    + (rank == 0 ? "" : ", LR " + forFace.get(rank - 1).get("likelihoodRatio")));
            if (identity.equals(decoyIdentity)) {
                assertFalse(forFace.stream().anyMatch(c -> ((Number) c.get("caseId")).longValue() == decoy),
                        "the decoy case (a two-year-old on the sighting date) is not listed");
                assertTrue(s.getInt("excludedCases") >= 1, "the decoy is counted as excluded");
            }
            // Another unit's investigator searched all units' cases but sees no north case's details.
            assertTrue(forFace.stream().allMatch(c -> c.get("caseSummary") == null),
                    "a south investigator sees no north case summary");
        }
        System.out.println("FG-NET tracing through the app: " + report);
        assertTrue(inTopTen >= 4, "the right case is in the top ten for at least four of five: " + report);
    }

    static Fgnet.Photo adultPhoto(List<Fgnet.Photo> photos) {
        return photos.stream().filter(p -> p.age() >= 18).min(Comparator.comparingInt(Fgnet.Photo::age)).orElseThrow();
    }

    static long createCase(String user, String name, LocalDate born, LocalDate lastSeen) {
        Map<String, Object> body = new HashMap<>();
        body.put("childName", name);
        body.put("birthDate", born.toString());
        if (lastSeen != null) {
            body.put("lastSeenDate", lastSeen.toString());
        }
        return ((Number) as(user).body(body).post("/api/cases").then().statusCode(201).extract().path("id")).longValue();
    }

    static long attach(String user, long caseId, Fgnet.Photo p, String dateParam, String value) throws Exception {
        var detail = as(user).contentType("image/jpeg").body(Files.readAllBytes(p.path())).queryParam(dateParam, value)
                .post("/api/cases/" + caseId + "/photos").then().statusCode(201).extract().jsonPath();
        List<Map<String, Object>> photos = detail.getList("photos");
        return ((Number) photos.get(photos.size() - 1).get("photoId")).longValue();
    }
}
