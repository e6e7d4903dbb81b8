package org.homeward.models.dlib;

/**
 * dlib find_similarity_transform for 2-D points (Umeyama least squares: rotation, uniform scale and
 * translation) in its closed form, in doubles: to ~ A * from + t with A = [[a00, a01], [a10, a11]]. The
 * projections' frame uses it too ({@code projections.imaging.PlaneSimilarity}), so there is one fit.
 */
public record SimilarityTransform(double a00, double a01, double a10, double a11, double tx, double ty) {

    /** {@code fromX[i], fromY[i]} onto {@code toX[i], toY[i]}; sums run in point order, as dlib's loops. */
    public static SimilarityTransform fit(double[] fromX, double[] fromY, double[] toX, double[] toY) {
        int n = fromX.length;
        double mfx = 0;
        double mfy = 0;
        double mtx = 0;
        double mty = 0;
        for (int i = 0; i < n; i++) {
            mfx += fromX[i];
            mfy += fromY[i];
            mtx += toX[i];
            mty += toY[i];
        }
        mfx /= n;
        mfy /= n;
        mtx /= n;
        mty /= n;
        double sigma = 0;
        double p = 0;
        double q = 0;
        for (int i = 0; i < n; i++) {
            double dfx = fromX[i] - mfx;
            double dfy = fromY[i] - mfy;
            double dtx = toX[i] - mtx;
            double dty = toY[i] - mty;
            sigma += dfx * dfx + dfy * dfy;
            p += dtx * dfx + dty * dfy;
            q += dty * dfx - dtx * dfy;
        }
        sigma /= n;
        p /= n;
        q /= n;
        double a00;
        double a01;
        double a10;
        double a11;
        if (sigma == 0) {
            // all 'from' points equal: dlib leaves the scale at 1
            a00 = 1;
            a01 = 0;
            a10 = 0;
            a11 = 1;
        } else {
            a00 = p / sigma;
            a01 = -q / sigma;
            a10 = q / sigma;
            a11 = p / sigma;
        }
        return new SimilarityTransform(a00, a01, a10, a11, mtx - (a00 * mfx + a01 * mfy), mty - (a10 * mfx + a11 * mfy));
    }

    double x(double x, double y) {
        return a00 * x + a01 * y + tx;
    }

    double y(double x, double y) {
        return a10 * x + a11 * y + ty;
    }
}
