package io.infera.processing;

/** Softmax over a slice of a flat array (one token's logits in a [sequence, classes] output), in double precision. */
public final class Softmax {

    private Softmax() {}

    public static float[] of(float[] values, int offset, int width) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < width; k++) {
            max = Math.max(max, values[offset + k]);
        }
        double[] exp = new double[width];
        double sum = 0;
        for (int k = 0; k < width; k++) {
            exp[k] = Math.exp(values[offset + k] - max);
            sum += exp[k];
        }
        float[] out = new float[width];
        for (int k = 0; k < width; k++) {
            out[k] = (float) (exp[k] / sum);
        }
        return out;
    }
}
