package org.homeward.models;

import java.util.Arrays;

/**
 * Cohort score normalisation (adaptive, case side): a childhood face that resembles every adult would crowd the top
 * of every search, so its similarity to a sighting counts against how alike it is to adults in general: the mean
 * of its {@code top} highest similarities to a cohort of adult faces. The cohort is carried by the search model's
 * package as centres (spherical k-means of a set of adult faces' vectors), never as any one person's vector.
 * Immutable, thread-safe.
 */
public final class ScoreCohort {

    private final float[][] centres;
    private final int top;

    public ScoreCohort(float[][] centres, int top) {
        if (centres.length == 0) {
            throw new IllegalArgumentException("a cohort needs at least one centre");
        }
        if (top < 1 || top > centres.length) {
            throw new IllegalArgumentException("top must be from 1 to " + centres.length + ", not " + top);
        }
        int d = centres[0].length;
        this.centres = new float[centres.length][];
        for (int i = 0; i < centres.length; i++) {
            if (centres[i].length != d) {
                throw new IllegalArgumentException("centre " + i + " has " + centres[i].length + " values, " + d + " expected");
            }
            this.centres[i] = centres[i].clone();
        }
        this.top = top;
    }

    /** The centres (copies), for writing a package. */
    public float[][] centres() {
        float[][] copy = new float[centres.length][];
        for (int i = 0; i < centres.length; i++) {
            copy[i] = centres[i].clone();
        }
        return copy;
    }

    public int size() {
        return centres.length;
    }

    public int top() {
        return top;
    }

    public int dimension() {
        return centres[0].length;
    }

    /** The mean of the face's {@link #top()} highest cosine similarities to the centres (unit vectors). */
    public double mean(float[] vector) {
        if (vector.length != dimension()) {
            throw new IllegalArgumentException("expected a " + dimension() + "-D vector, got " + vector.length);
        }
        double[] sims = new double[centres.length];
        for (int c = 0; c < centres.length; c++) {
            double s = 0;
            float[] centre = centres[c];
            for (int i = 0; i < vector.length; i++) {
                s += centre[i] * vector[i];
            }
            sims[c] = s;
        }
        Arrays.sort(sims);
        double sum = 0;
        for (int i = sims.length - top; i < sims.length; i++) {
            sum += sims[i];
        }
        return sum / top;
    }

    /** The similarity of a sighting to a case face, judged against the case face's likeness to adults in general. */
    public double normalise(double similarity, float[] caseFace) {
        return similarity - mean(caseFace);
    }
}
