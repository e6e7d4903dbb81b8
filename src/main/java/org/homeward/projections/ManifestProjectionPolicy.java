package org.homeward.projections;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.homeward.matching.CaseRanker;
import org.homeward.matching.ProjectionSearchPolicy;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelUnavailable;

/**
 * How the case ranking counts projections, per embedding model, as the projection package's manifest says
 * (block "search": model id to {"age_window": years, "weight": 0..1}, set from {@code eval tracing --projections};
 * docs/projections.md). A model the package has no figures for gets its projections ignored: an unmeasured
 * effect is not trusted. The sighting search ranks with {@code new CaseRanker(policy.forModel(id, base))}.
 */
@ApplicationScoped
public class ManifestProjectionPolicy implements ProjectionSearchPolicy {

    @Inject
    ProjectionModels models;

    @Inject
    ProjectionsConfig config;

    private final Map<String, CaseRanker.Policy> cache = new ConcurrentHashMap<>();

    @Override
    public CaseRanker.Policy forModel(String modelId, CaseRanker.Policy base) {
        if (!config.enabled()) {
            return base.withProjections(base.projectionAgeWindow(), 0);
        }
        return cache.computeIfAbsent(modelId + "\n" + base, k -> {
            JsonNode search;
            try {
                search = ModelPackage.open(models.packageDir()).manifest().path("search");
            } catch (ModelUnavailable e) {
                search = null;
            }
            return of(search, modelId, base);
        });
    }

    /** The rule a manifest's "search" block gives a model: its window and weight, or projections ignored. */
    public static CaseRanker.Policy of(JsonNode search, String modelId, CaseRanker.Policy base) {
        JsonNode rule = search == null ? null : search.get(modelId);
        if (rule == null || !rule.isObject()) {
            return base.withProjections(base.projectionAgeWindow(), 0);
        }
        double window = rule.hasNonNull("age_window") ? rule.get("age_window").asDouble() : Double.POSITIVE_INFINITY;
        double weight = rule.path("weight").asDouble(0);
        return base.withProjections(window, weight);
    }
}
