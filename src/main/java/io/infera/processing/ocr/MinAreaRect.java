package io.infera.processing.ocr;

import java.util.Arrays;

/**
 * The minimum-area rotated rectangle around a set of pixel centres (OpenCV's minAreaRect): the
 * convex hull of the points, then, for the direction of each hull edge, the bounding rectangle in
 * that direction; the smallest is the answer (rotating calipers).
 */
final class MinAreaRect {

    private MinAreaRect() {}

    /** @param pixels indexes {@code y * width + x} of the region's pixels */
    static Rect of(int[] pixels, int width) {
        long[] points = new long[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            points[i] = ((long) (pixels[i] % width) << 32) | (pixels[i] / width); // sorted by x, then y
        }
        Arrays.sort(points);
        int[][] hull = hull(points);
        int n = hull[0].length;
        if (n < 3) {
            double[] xs = Arrays.stream(hull[0]).asDoubleStream().toArray();
            double[] ys = Arrays.stream(hull[1]).asDoubleStream().toArray();
            double length = n == 2 ? Math.hypot(xs[1] - xs[0], ys[1] - ys[0]) : 0;
            double angle = n == 2 ? Math.atan2(ys[1] - ys[0], xs[1] - xs[0]) : 0;
            double cx = n == 2 ? (xs[0] + xs[1]) / 2 : xs[0];
            double cy = n == 2 ? (ys[0] + ys[1]) / 2 : ys[0];
            return new Rect(cx, cy, length, 0, angle);
        }
        Rect best = null;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            double angle = Math.atan2(hull[1][j] - hull[1][i], hull[0][j] - hull[0][i]);
            double ux = Math.cos(angle);
            double uy = Math.sin(angle);
            double minU = Double.POSITIVE_INFINITY;
            double maxU = Double.NEGATIVE_INFINITY;
            double minV = Double.POSITIVE_INFINITY;
            double maxV = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                double u = hull[0][k] * ux + hull[1][k] * uy;
                double v = -hull[0][k] * uy + hull[1][k] * ux;
                minU = Math.min(minU, u);
                maxU = Math.max(maxU, u);
                minV = Math.min(minV, v);
                maxV = Math.max(maxV, v);
            }
            double cu = (minU + maxU) / 2;
            double cv = (minV + maxV) / 2;
            Rect candidate = new Rect(cu * ux - cv * uy, cu * uy + cv * ux, maxU - minU, maxV - minV, angle);
            if (best == null || candidate.area() < best.area() - 1e-9) {
                best = candidate;
            }
        }
        return best;
    }

    /** Andrew's monotone chain on points sorted by x then y (packed as x << 32 | y): {xs, ys} counter-clockwise. */
    private static int[][] hull(long[] sorted) {
        int n = sorted.length;
        long[] chain = new long[2 * n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            while (k >= 2 && cross(chain[k - 2], chain[k - 1], sorted[i]) <= 0) {
                k--;
            }
            chain[k++] = sorted[i];
        }
        for (int i = n - 2, lower = k + 1; i >= 0; i--) {
            while (k >= lower && cross(chain[k - 2], chain[k - 1], sorted[i]) <= 0) {
                k--;
            }
            chain[k++] = sorted[i];
        }
        int size = Math.max(1, k - 1);
        if (n == 1) {
            size = 1;
        }
        int[] xs = new int[size];
        int[] ys = new int[size];
        for (int i = 0; i < size; i++) {
            xs[i] = (int) (chain[i] >> 32);
            ys[i] = (int) chain[i];
        }
        return new int[][] {xs, ys};
    }

    private static long cross(long o, long a, long b) {
        long ox = o >> 32;
        long oy = (int) o;
        return ((a >> 32) - ox) * ((int) b - oy) - ((int) a - oy) * ((b >> 32) - ox);
    }
}
