package org.homeward.models;

/** Estimates the age a face shows, with an uncertainty, from that face's embedding. */
public interface AgeEstimator {

    /** The model package name, stored beside each estimate. */
    String modelId();

    /** The embedding model whose vectors this estimator reads. */
    String embedderId();

    AgeEstimate estimate(float[] embedding);

    /** One standard deviation of the estimator's error, in years, for faces around this age. */
    float uncertaintyAt(double years);

    /** Years, and one standard deviation of the error measured for faces of about that age. */
    record AgeEstimate(float years, float uncertainty) {
    }
}
