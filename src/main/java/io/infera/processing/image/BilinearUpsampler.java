package io.infera.processing.image;

/**
 * PyTorch's {@code F.interpolate(mode="bilinear", align_corners=False)} on one [height, width]
 * plane, in float32 and in the same order of operations as its CPU kernel (width weights inside,
 * height weights outside), so that an argmax over upsampled class planes picks the same class.
 */
public final class BilinearUpsampler {

    private BilinearUpsampler() {}

    /** Source indices and weights along one axis. */
    private record Axis(int[] low, int[] high, float[] lowWeight, float[] highWeight) {
        static Axis of(int in, int out) {
            int[] low = new int[out];
            int[] high = new int[out];
            float[] w0 = new float[out];
            float[] w1 = new float[out];
            float scale = (float) in / out;
            for (int d = 0; d < out; d++) {
                float source = scale * (d + 0.5f) - 0.5f;
                if (source < 0) {
                    source = 0;
                }
                int i = (int) source;
                float lambda = Math.min(source - i, 1f);
                low[d] = i;
                high[d] = i + (i < in - 1 ? 1 : 0);
                w1[d] = lambda;
                w0[d] = 1f - lambda;
            }
            return new Axis(low, high, w0, w1);
        }
    }

    /**
     * Upsamples {@code planes} planes of [inHeight, inWidth], stored one after another from
     * {@code values}, to [outHeight, outWidth] each.
     */
    public static float[] upsample(float[] values, int planes, int inHeight, int inWidth, int outHeight, int outWidth) {
        Axis rows = Axis.of(inHeight, outHeight);
        Axis cols = Axis.of(inWidth, outWidth);
        float[] out = new float[planes * outHeight * outWidth];
        for (int p = 0; p < planes; p++) {
            int in = p * inHeight * inWidth;
            int o = p * outHeight * outWidth;
            for (int y = 0; y < outHeight; y++) {
                int top = in + rows.low()[y] * inWidth;
                int bottom = in + rows.high()[y] * inWidth;
                float wy0 = rows.lowWeight()[y];
                float wy1 = rows.highWeight()[y];
                for (int x = 0; x < outWidth; x++) {
                    int x0 = cols.low()[x];
                    int x1 = cols.high()[x];
                    float wx0 = cols.lowWeight()[x];
                    float wx1 = cols.highWeight()[x];
                    float upper = values[top + x0] * wx0 + values[top + x1] * wx1;
                    float lower = values[bottom + x0] * wx0 + values[bottom + x1] * wx1;
                    out[o + y * outWidth + x] = upper * wy0 + lower * wy1;
                }
            }
        }
        return out;
    }
}
