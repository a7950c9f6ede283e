package io.infera.generation;

/**
 * One sequence's attention keys and values, per layer {@code [heads, length, headDim]} in row-major
 * order: what the model returned as {@code present.*} for the tokens seen so far, fed back as
 * {@code past_key_values.*} so that no step re-runs the prompt.
 */
final class KvCache {

    private final float[][] keys;
    private final float[][] values;
    private final int length;

    KvCache(float[][] keys, float[][] values, int length) {
        this.keys = keys;
        this.values = values;
        this.length = length;
    }

    static KvCache empty(int layers) {
        float[][] none = new float[layers][0];
        return new KvCache(none, none, 0);
    }

    int length() {
        return length;
    }

    float[] keys(int layer) {
        return keys[layer];
    }

    float[] values(int layer) {
        return values[layer];
    }
}
