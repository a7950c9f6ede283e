package io.infera.processing.ocr;

/**
 * PaddleOCR's score of a text box (DB post-processing's {@code box_score_fast}): the mean
 * probability over the pixels OpenCV's {@code fillPoly} marks for the box once its corners are cut
 * to whole pixels. fillPoly marks the pixels whose centres lie inside the polygon or on it, and
 * the pixels of its 8-connected outline, which reach half a pixel outside; on a box a few pixels
 * high the outline weighs: a line of the scikit-image page scores 0.56 this way and 0.62 by
 * centres alone, either side of the 0.6 threshold. The outline is OpenCV's: drawn left to right,
 * a step across taken when the error term goes negative, clipped to the box's bounding rectangle
 * as {@code clipLine} clips it.
 */
final class BoxScore {

    private BoxScore() {}

    /** The mean probability of the map under the box. */
    static double mean(float[] probability, int mapWidth, int mapHeight, double[] xs, double[] ys) {
        Mask mask = mask(xs, ys, mapWidth, mapHeight);
        double sum = 0;
        int count = 0;
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < mask.width(); x++) {
                if (mask.marked()[y * mask.width() + x]) {
                    sum += probability[(mask.top() + y) * mapWidth + mask.left() + x];
                    count++;
                }
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    /** The marked pixels of the box's bounding rectangle (clipped to the map), row-major. */
    record Mask(int left, int top, int width, int height, boolean[] marked) {}

    static Mask mask(double[] xs, double[] ys, int mapWidth, int mapHeight) {
        int left = clamp((int) Math.floor(min(xs)), mapWidth - 1);
        int right = clamp((int) Math.ceil(max(xs)), mapWidth - 1);
        int top = clamp((int) Math.floor(min(ys)), mapHeight - 1);
        int bottom = clamp((int) Math.ceil(max(ys)), mapHeight - 1);
        int width = right - left + 1;
        int height = bottom - top + 1;
        // the corners relative to the rectangle, cut towards zero as numpy's astype(int32) cuts them
        long[] vx = new long[xs.length];
        long[] vy = new long[ys.length];
        for (int i = 0; i < xs.length; i++) {
            vx[i] = (long) (xs[i] - left);
            vy[i] = (long) (ys[i] - top);
        }
        boolean[] marked = new boolean[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                marked[y * width + x] = inside(vx, vy, x, y);
            }
        }
        for (int i = 0; i < vx.length; i++) {
            int from = (i + vx.length - 1) % vx.length;
            outline(marked, width, height, vx[from], vy[from], vx[i], vy[i]);
        }
        return new Mask(left, top, width, height, marked);
    }

    /** Whether a pixel centre is inside (or on) a convex polygon; exact, in whole numbers. */
    private static boolean inside(long[] vx, long[] vy, long px, long py) {
        boolean positive = false;
        boolean negative = false;
        for (int i = 0; i < vx.length; i++) {
            int j = (i + 1) % vx.length;
            long cross = (vx[j] - vx[i]) * (py - vy[i]) - (vy[j] - vy[i]) * (px - vx[i]);
            positive |= cross > 0;
            negative |= cross < 0;
        }
        return !(positive && negative);
    }

    /** Marks OpenCV's 8-connected line between two pixels, clipped to the rectangle. */
    private static void outline(boolean[] marked, int width, int height, long x1, long y1, long x2, long y2) {
        long[] p = {x1, y1, x2, y2};
        if (!clip(p, width, height)) {
            return;
        }
        long ax = p[0];
        long ay = p[1];
        long bx = p[2];
        long by = p[3];
        if (bx < ax) { // drawn left to right
            long t = ax;
            ax = bx;
            bx = t;
            t = ay;
            ay = by;
            by = t;
        }
        long dx = bx - ax;
        long dy = Math.abs(by - ay);
        int stepY = by >= ay ? 1 : -1;
        boolean steep = dy > dx;
        long major = steep ? dy : dx;
        long minor = steep ? dx : dy;
        long error = major - 2 * minor;
        long x = ax;
        long y = ay;
        for (long k = 0; k <= major; k++) {
            marked[(int) (y * width + x)] = true;
            boolean across = error < 0;
            error += -2 * minor + (across ? 2 * major : 0);
            if (steep) {
                y += stepY;
                x += across ? 1 : 0;
            } else {
                x++;
                y += across ? stepY : 0;
            }
        }
    }

    /**
     * OpenCV's clipLine: ends outside the rectangle moved onto its border along the line (above or
     * below first, then left or right), the moves cut towards zero; false when the line misses it.
     */
    private static boolean clip(long[] p, int width, int height) {
        long right = width - 1;
        long bottom = height - 1;
        int c1 = outcode(p[0], p[1], right, bottom);
        int c2 = outcode(p[2], p[3], right, bottom);
        if ((c1 & c2) == 0 && (c1 | c2) != 0) {
            if ((c1 & 12) != 0) {
                long a = c1 < 8 ? 0 : bottom;
                p[0] += (long) ((double) (a - p[1]) * (p[2] - p[0]) / (p[3] - p[1]));
                p[1] = a;
                c1 = (p[0] < 0 ? 1 : 0) + (p[0] > right ? 2 : 0);
            }
            if ((c2 & 12) != 0) {
                long a = c2 < 8 ? 0 : bottom;
                p[2] += (long) ((double) (a - p[3]) * (p[2] - p[0]) / (p[3] - p[1]));
                p[3] = a;
                c2 = (p[2] < 0 ? 1 : 0) + (p[2] > right ? 2 : 0);
            }
            if ((c1 & c2) == 0 && (c1 | c2) != 0) {
                if (c1 != 0) {
                    long a = c1 == 1 ? 0 : right;
                    p[1] += (long) ((double) (a - p[0]) * (p[3] - p[1]) / (p[2] - p[0]));
                    p[0] = a;
                    c1 = 0;
                }
                if (c2 != 0) {
                    long a = c2 == 1 ? 0 : right;
                    p[3] += (long) ((double) (a - p[2]) * (p[3] - p[1]) / (p[2] - p[0]));
                    p[2] = a;
                    c2 = 0;
                }
            }
        }
        return (c1 | c2) == 0;
    }

    private static int outcode(long x, long y, long right, long bottom) {
        return (x < 0 ? 1 : 0) + (x > right ? 2 : 0) + (y < 0 ? 4 : 0) + (y > bottom ? 8 : 0);
    }

    private static int clamp(int value, int max) {
        return Math.max(0, Math.min(max, value));
    }

    private static double min(double[] values) {
        double m = values[0];
        for (double v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static double max(double[] values) {
        double m = values[0];
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
