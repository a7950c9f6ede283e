package io.infera.processing.ocr;

/**
 * A quadrilateral around a text line: corners clockwise from the top left, in pixels, with the
 * detector's score for it.
 *
 * @param x the corners' x: top left, top right, bottom right, bottom left
 * @param y the corners' y, in the same order
 */
public record Quad(double[] x, double[] y, double score) {

    public Quad {
        if (x.length != 4 || y.length != 4) {
            throw new IllegalArgumentException("a quadrilateral has 4 corners");
        }
        x = x.clone();
        y = y.clone();
    }

    /** The corners as [[x, y], ...] in whole pixels, clockwise from the top left (what the answer shows). */
    public int[][] corners() {
        int[][] out = new int[4][];
        for (int i = 0; i < 4; i++) {
            out[i] = new int[] {(int) Math.round(x[i]), (int) Math.round(y[i])};
        }
        return out;
    }

    /** Length of the top edge. */
    double topLength() {
        return Math.hypot(x[1] - x[0], y[1] - y[0]);
    }

    /** Length of the left edge. */
    double leftLength() {
        return Math.hypot(x[3] - x[0], y[3] - y[0]);
    }
}
