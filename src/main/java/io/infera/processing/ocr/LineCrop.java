package io.infera.processing.ocr;

import io.infera.processing.image.RgbImage;

/**
 * Cuts a text line out of a picture as PaddleOCR's get_rotate_crop_image does: the quadrilateral
 * warped by a perspective transform onto an upright rectangle as wide as its longer horizontal
 * edge and as high as its longer vertical edge (bicubic, a = -0.75, borders replicated), turned a
 * quarter anticlockwise when it is at least 1.5 times taller than wide (vertical text).
 */
public final class LineCrop {

    private static final double CUBIC = -0.75;

    private LineCrop() {}

    public static RgbImage of(RgbImage picture, Quad quad) {
        double[] x = quad.x();
        double[] y = quad.y();
        int width = (int) Math.max(Math.hypot(x[1] - x[0], y[1] - y[0]), Math.hypot(x[2] - x[3], y[2] - y[3]));
        int height = (int) Math.max(Math.hypot(x[3] - x[0], y[3] - y[0]), Math.hypot(x[2] - x[1], y[2] - y[1]));
        width = Math.max(width, 1);
        height = Math.max(height, 1);
        double[] toPicture = homography(new double[] {0, width, width, 0}, new double[] {0, 0, height, height}, x, y);
        byte[] out = new byte[width * height * 3];
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                double w = toPicture[6] * col + toPicture[7] * row + 1;
                double sx = (toPicture[0] * col + toPicture[1] * row + toPicture[2]) / w;
                double sy = (toPicture[3] * col + toPicture[4] * row + toPicture[5]) / w;
                for (int c = 0; c < 3; c++) {
                    out[(row * width + col) * 3 + c] = (byte) bicubic(picture, sx, sy, c);
                }
            }
        }
        RgbImage line = new RgbImage(width, height, out);
        return height >= 1.5 * width ? turnedAnticlockwise(line) : line;
    }

    /**
     * The projective transform taking the four {@code from} points to the four {@code to} points:
     * h0..h7 of [[h0 h1 h2] [h3 h4 h5] [h6 h7 1]], solved by Gaussian elimination.
     */
    static double[] homography(double[] fromX, double[] fromY, double[] toX, double[] toY) {
        double[][] a = new double[8][9];
        for (int i = 0; i < 4; i++) {
            double u = fromX[i];
            double v = fromY[i];
            a[2 * i] = new double[] {u, v, 1, 0, 0, 0, -u * toX[i], -v * toX[i], toX[i]};
            a[2 * i + 1] = new double[] {0, 0, 0, u, v, 1, -u * toY[i], -v * toY[i], toY[i]};
        }
        for (int col = 0; col < 8; col++) {
            int pivot = col;
            for (int row = col + 1; row < 8; row++) {
                if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
                    pivot = row;
                }
            }
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            if (Math.abs(a[col][col]) < 1e-12) {
                throw new IllegalArgumentException("the quadrilateral is degenerate");
            }
            for (int row = 0; row < 8; row++) {
                if (row != col) {
                    double factor = a[row][col] / a[col][col];
                    for (int k = col; k < 9; k++) {
                        a[row][k] -= factor * a[col][k];
                    }
                }
            }
        }
        double[] h = new double[8];
        for (int i = 0; i < 8; i++) {
            h[i] = a[i][8] / a[i][i];
        }
        return h;
    }

    /** OpenCV's bicubic interpolation of one channel, borders replicated, rounded and clamped to a byte. */
    private static int bicubic(RgbImage picture, double x, double y, int channel) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        double[] wx = weights(fx);
        double[] wy = weights(fy);
        double sum = 0;
        for (int j = 0; j < 4; j++) {
            int sy = Math.min(picture.height() - 1, Math.max(0, y0 - 1 + j));
            double row = 0;
            for (int i = 0; i < 4; i++) {
                int sx = Math.min(picture.width() - 1, Math.max(0, x0 - 1 + i));
                row += wx[i] * picture.sample(sx, sy, channel);
            }
            sum += wy[j] * row;
        }
        return (int) Math.min(255, Math.max(0, Math.round(sum)));
    }

    private static double[] weights(double t) {
        double[] w = new double[4];
        w[0] = ((CUBIC * (t + 1) - 5 * CUBIC) * (t + 1) + 8 * CUBIC) * (t + 1) - 4 * CUBIC;
        w[1] = ((CUBIC + 2) * t - (CUBIC + 3)) * t * t + 1;
        w[2] = ((CUBIC + 2) * (1 - t) - (CUBIC + 3)) * (1 - t) * (1 - t) + 1;
        w[3] = 1 - w[0] - w[1] - w[2];
        return w;
    }

    /** np.rot90: the picture turned a quarter anticlockwise. */
    private static RgbImage turnedAnticlockwise(RgbImage image) {
        int width = image.height();
        int height = image.width();
        byte[] out = new byte[width * height * 3];
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                // new (col, row) takes old (x = oldWidth - 1 - row, y = col)
                System.arraycopy(
                        image.pixels(),
                        (col * image.width() + (image.width() - 1 - row)) * 3,
                        out,
                        (row * width + col) * 3,
                        3);
            }
        }
        return new RgbImage(width, height, out);
    }
}
