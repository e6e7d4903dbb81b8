package org.homeward.models;

import java.util.function.DoubleUnaryOperator;

/**
 * The five landmarks of a face, in image pixels, in dlib's order: image-right eye outer and inner
 * corner, image-left eye outer and inner corner, bottom of the nose.
 */
public record Landmarks(double[] x, double[] y) {

    public static final int COUNT = 5;

    public Landmarks {
        if (x.length != COUNT || y.length != COUNT) {
            throw new IllegalArgumentException("five landmarks expected");
        }
    }

    /** From x0, y0, x1, y1, ... (the face table's {@link #flat()} form). */
    public static Landmarks of(float[] flat) {
        double[] d = new double[flat.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = flat[i];
        }
        return of(d);
    }

    /** From x0, y0, x1, y1, ... */
    public static Landmarks of(double[] flat) {
        if (flat.length != 2 * COUNT) {
            throw new IllegalArgumentException("five landmarks expected, got " + flat.length + " values");
        }
        double[] x = new double[COUNT];
        double[] y = new double[COUNT];
        for (int i = 0; i < COUNT; i++) {
            x[i] = flat[2 * i];
            y[i] = flat[2 * i + 1];
        }
        return new Landmarks(x, y);
    }

    /** x0, y0, x1, y1, ... as stored in the face table. */
    public float[] flat() {
        float[] out = new float[2 * COUNT];
        for (int i = 0; i < COUNT; i++) {
            out[2 * i] = (float) x[i];
            out[2 * i + 1] = (float) y[i];
        }
        return out;
    }

    /** The same five points moved into another frame: each x through {@code toX}, each y through {@code toY}. */
    public Landmarks map(DoubleUnaryOperator toX, DoubleUnaryOperator toY) {
        double[] mx = new double[COUNT];
        double[] my = new double[COUNT];
        for (int i = 0; i < COUNT; i++) {
            mx[i] = toX.applyAsDouble(x[i]);
            my[i] = toY.applyAsDouble(y[i]);
        }
        return new Landmarks(mx, my);
    }

    /** Distance between the centres of the two eyes. */
    public double interOcular() {
        double rx = (x[0] + x[1]) / 2;
        double ry = (y[0] + y[1]) / 2;
        double lx = (x[2] + x[3]) / 2;
        double ly = (y[2] + y[3]) / 2;
        return Math.hypot(rx - lx, ry - ly);
    }
}
