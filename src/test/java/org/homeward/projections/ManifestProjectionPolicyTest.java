package org.homeward.projections;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.homeward.matching.CaseRanker;
import org.homeward.projections.ageing.PrototypePackage;
import org.junit.jupiter.api.Test;

/** The search's rule for projections per embedding model, as the committed package's manifest sets it. */
class ManifestProjectionPolicyTest {

    static final CaseRanker.Policy BASE = CaseRanker.Policy.DEFAULT;

    @Test
    void eachMeasuredModelGetsItsRuleAndAnUnmeasuredOneIgnoresProjections() throws Exception {
        JsonNode search = new ObjectMapper().readTree(Path.of("deploy", "models", "packages", PrototypePackage.NAME,
                "manifest.json").toFile()).path("search");
        for (String model : new String[] {"dlib-face-embedder-v1", "dlib-face-embedder-v1+homeward-embedding-transform-v1"}) {
            JsonNode rule = search.get(model);
            CaseRanker.Policy p = ManifestProjectionPolicy.of(search, model, BASE);
            assertEquals(rule.path("weight").asDouble(), p.projectionWeight(), 1e-12, model);
            assertEquals(BASE.aggregation(), p.aggregation(), "only the projection rule changes");
            assertEquals(BASE.temperature(), p.temperature());
        }
        CaseRanker.Policy unknown = ManifestProjectionPolicy.of(search, "some-other-embedder", BASE);
        assertEquals(0.0, unknown.projectionWeight(), "no figures for a model: its projections are not trusted");
        // v2 (the default) has no projection figures yet: its searches leave projections out
        assertEquals(0.0, ManifestProjectionPolicy.of(search, "dlib-face-embedder-v1+homeward-embedding-transform-v2", BASE)
                .projectionWeight());
        assertEquals(0.0, ManifestProjectionPolicy.of(null, "dlib-face-embedder-v1", BASE).projectionWeight());
    }

    @Test
    void aRuleReadsItsWindowAndWeight() throws Exception {
        JsonNode search = new ObjectMapper().readTree("{\"m\": {\"age_window\": 5, \"weight\": 0.5}, \"n\": {\"weight\": 1}}");
        CaseRanker.Policy m = ManifestProjectionPolicy.of(search, "m", BASE);
        assertEquals(5.0, m.projectionAgeWindow());
        assertEquals(0.5, m.projectionWeight());
        assertEquals(Double.POSITIVE_INFINITY, ManifestProjectionPolicy.of(search, "n", BASE).projectionAgeWindow());
    }
}
