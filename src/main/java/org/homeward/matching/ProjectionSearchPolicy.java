package org.homeward.matching;

/**
 * How much the ranking counts a case's aged-up projections for one embedding model: the search owns the question,
 * the projections feature answers it from its installed package (so matching never depends on projections).
 */
public interface ProjectionSearchPolicy {

    /** {@code base} with the projection rule (age window, weight) for {@code modelId}. */
    CaseRanker.Policy forModel(String modelId, CaseRanker.Policy base);
}
