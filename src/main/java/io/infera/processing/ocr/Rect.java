package io.infera.processing.ocr;

/**
 * A rotated rectangle: its centre, its extent along its angle's direction and across it.
 *
 * @param angle radians of the {@code width} direction from the x axis
 */
record Rect(double cx, double cy, double width, double height, double angle) {

    double shortSide() {
        return Math.min(width, height);
    }

    double area() {
        return width * height;
    }

    double perimeter() {
        return 2 * (width + height);
    }

    /** The same rectangle with every side moved out by {@code distance}. */
    Rect grown(double distance) {
        return new Rect(cx, cy, width + 2 * distance, height + 2 * distance, angle);
    }

    /** The corners {xs, ys}, going round. */
    double[][] corners() {
        double ux = Math.cos(angle) * width / 2;
        double uy = Math.sin(angle) * width / 2;
        double vx = -Math.sin(angle) * height / 2;
        double vy = Math.cos(angle) * height / 2;
        return new double[][] {
            {cx - ux - vx, cx + ux - vx, cx + ux + vx, cx - ux + vx},
            {cy - uy - vy, cy + uy - vy, cy + uy + vy, cy - uy + vy}
        };
    }

    /**
     * The corners scaled to another resolution, rounded and clipped to {@code [0, maxX]} and
     * {@code [0, maxY]} (the picture's last pixel, as PaddleOCR clips them), ordered clockwise
     * from the top left.
     */
    Quad scaled(double sx, double sy, int maxX, int maxY, double score) {
        double[][] c = corners();
        double[] xs = new double[4];
        double[] ys = new double[4];
        for (int i = 0; i < 4; i++) {
            xs[i] = Math.min(maxX, Math.max(0, Math.rint(c[0][i] * sx)));
            ys[i] = Math.min(maxY, Math.max(0, Math.rint(c[1][i] * sy)));
        }
        return clockwise(xs, ys, score);
    }

    /** The two leftmost corners are the left edge (the upper one first), the two rightmost the right edge. */
    static Quad clockwise(double[] xs, double[] ys, double score) {
        Integer[] order = {0, 1, 2, 3};
        java.util.Arrays.sort(
                order, (a, b) -> xs[a] != xs[b] ? Double.compare(xs[a], xs[b]) : Double.compare(ys[a], ys[b]));
        int topLeft = ys[order[0]] <= ys[order[1]] ? order[0] : order[1];
        int bottomLeft = topLeft == order[0] ? order[1] : order[0];
        int topRight = ys[order[2]] <= ys[order[3]] ? order[2] : order[3];
        int bottomRight = topRight == order[2] ? order[3] : order[2];
        return new Quad(
                new double[] {xs[topLeft], xs[topRight], xs[bottomRight], xs[bottomLeft]},
                new double[] {ys[topLeft], ys[topRight], ys[bottomRight], ys[bottomLeft]},
                score);
    }
}
