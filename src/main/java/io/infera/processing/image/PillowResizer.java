package io.infera.processing.image;

/**
 * Resizes 8-bit RGB images exactly as Pillow's {@code Image.resize} does, so that Infera's inputs
 * equal those the transformers image processors (PIL backend) build: separable convolution with
 * the filter stretched by the downscale factor (antialiasing), weights normalised and turned into
 * 22-bit fixed point, the horizontal pass first, each pass rounded and clipped to 8 bits.
 */
public final class PillowResizer {

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PillowResizer() {}

    /** @throws IllegalArgumentException when a side would resize to 0 pixels (a very narrow picture) */
    public static RgbImage resize(RgbImage image, int width, int height, Resampling filter) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("a " + image.width() + "x" + image.height()
                    + " picture is too narrow for this model: a side would resize to 0 pixels");
        }
        if (width == image.width() && height == image.height()) {
            return image;
        }
        if (filter == Resampling.NEAREST) {
            return nearest(image, width, height);
        }
        Coefficients vertical = Coefficients.compute(image.height(), height, filter);
        // Only the source rows the vertical pass reads go through the horizontal pass.
        int firstRow = vertical.bounds[0];
        int lastRow = vertical.bounds[(height - 1) * 2] + vertical.bounds[(height - 1) * 2 + 1];
        RgbImage source = image;
        if (width != image.width()) {
            Coefficients horizontal = Coefficients.compute(image.width(), width, filter);
            source = horizontal(image, width, firstRow, lastRow, horizontal);
            for (int y = 0; y < height; y++) {
                vertical.bounds[y * 2] -= firstRow;
            }
        }
        return height != image.height() ? vertical(source, height, vertical) : source;
    }

    private static RgbImage horizontal(RgbImage in, int outWidth, int firstRow, int lastRow, Coefficients c) {
        int rows = lastRow - firstRow;
        byte[] src = in.pixels();
        byte[] out = new byte[outWidth * rows * 3];
        for (int y = 0; y < rows; y++) {
            int rowStart = (y + firstRow) * in.width() * 3;
            for (int x = 0; x < outWidth; x++) {
                int min = c.bounds[x * 2];
                int count = c.bounds[x * 2 + 1];
                int k = x * c.size;
                for (int ch = 0; ch < 3; ch++) {
                    int sum = 1 << (PRECISION_BITS - 1);
                    for (int i = 0; i < count; i++) {
                        sum += (src[rowStart + (min + i) * 3 + ch] & 0xFF) * c.fixed[k + i];
                    }
                    out[(y * outWidth + x) * 3 + ch] = clip8(sum);
                }
            }
        }
        return new RgbImage(outWidth, rows, out);
    }

    private static RgbImage vertical(RgbImage in, int outHeight, Coefficients c) {
        int width = in.width();
        byte[] src = in.pixels();
        byte[] out = new byte[width * outHeight * 3];
        for (int y = 0; y < outHeight; y++) {
            int min = c.bounds[y * 2];
            int count = c.bounds[y * 2 + 1];
            int k = y * c.size;
            for (int x = 0; x < width; x++) {
                for (int ch = 0; ch < 3; ch++) {
                    int sum = 1 << (PRECISION_BITS - 1);
                    for (int i = 0; i < count; i++) {
                        sum += (src[((min + i) * width + x) * 3 + ch] & 0xFF) * c.fixed[k + i];
                    }
                    out[(y * width + x) * 3 + ch] = clip8(sum);
                }
            }
        }
        return new RgbImage(width, outHeight, out);
    }

    /** Pillow's nearest neighbour: the source pixel under each output pixel's centre. */
    private static RgbImage nearest(RgbImage in, int width, int height) {
        double xScale = (double) in.width() / width;
        double yScale = (double) in.height() / height;
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            int sy = Math.min(in.height() - 1, (int) ((y + 0.5) * yScale));
            for (int x = 0; x < width; x++) {
                int sx = Math.min(in.width() - 1, (int) ((x + 0.5) * xScale));
                System.arraycopy(in.pixels(), (sy * in.width() + sx) * 3, out, (y * width + x) * 3, 3);
            }
        }
        return new RgbImage(width, height, out);
    }

    private static byte clip8(int value) {
        int v = value >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Per output pixel: the first source pixel, how many it reads, and their fixed-point weights. */
    private record Coefficients(int size, int[] bounds, int[] fixed) {

        static Coefficients compute(int inSize, int outSize, Resampling filter) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support() * filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            int[] fixed = new int[outSize * size];
            double[] weights = new double[size];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                double inverse = 1.0 / filterScale;
                int min = Math.max(0, (int) (center - support + 0.5));
                int max = Math.min(inSize, (int) (center + support + 0.5)) - min;
                double total = 0.0;
                for (int x = 0; x < max; x++) {
                    weights[x] = filter.weight((x + min - center + 0.5) * inverse);
                    total += weights[x];
                }
                for (int x = 0; x < max; x++) {
                    double w = total != 0.0 ? weights[x] / total : weights[x];
                    // Pillow rounds half away from zero when it converts weights to fixed point.
                    fixed[xx * size + x] =
                            (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
                }
                bounds[xx * 2] = min;
                bounds[xx * 2 + 1] = max;
            }
            return new Coefficients(size, bounds, fixed);
        }
    }
}
