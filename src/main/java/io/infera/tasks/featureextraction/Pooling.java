package io.infera.tasks.featureextraction;

/**
 * How token vectors become one text vector: sentence-transformers' pooling modes, over the real
 * tokens of a text (batch padding never counts).
 */
public enum Pooling {
    /** Every real token's vector, as the transformers feature-extraction pipeline returns them. */
    NONE,
    /** The mean over real tokens (attention mask 1), sentence-transformers' default. */
    MEAN,
    /** The first token's vector ([CLS]; the first after the prompt where pooling leaves it out): bge. */
    CLS,
    /** The element-wise maximum over real tokens. */
    MAX,
    /** The last real token's vector: decoder-only embedders, whose last token has seen the whole text. */
    LAST_TOKEN,
    /** The sum over real tokens divided by the square root of their count. */
    MEAN_SQRT_LEN,
    /** The mean weighted by position (1, 2, 3 …), so that later tokens count more. */
    WEIGHTED_MEAN;

    /**
     * The pooled vector of one text.
     *
     * @param states the text's token vectors, [tokens, hidden] flattened (rows past {@code tokens} are padding)
     * @param tokens the text's real tokens
     * @param from   the first token that counts: past a prompt that the pooling leaves out
     */
    float[] pool(float[] states, int tokens, int hidden, int from) {
        return switch (this) {
            case NONE -> throw new IllegalStateException("pooling none keeps every token's vector");
            case CLS -> java.util.Arrays.copyOfRange(states, from * hidden, (from + 1) * hidden);
            case LAST_TOKEN -> java.util.Arrays.copyOfRange(states, (tokens - 1) * hidden, tokens * hidden);
            case MAX -> max(states, tokens, hidden, from);
            case MEAN, MEAN_SQRT_LEN, WEIGHTED_MEAN -> weighted(states, tokens, hidden, from);
        };
    }

    private static float[] max(float[] states, int tokens, int hidden, int from) {
        float[] max = new float[hidden];
        java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int t = from; t < tokens; t++) {
            for (int h = 0; h < hidden; h++) {
                max[h] = Math.max(max[h], states[t * hidden + h]);
            }
        }
        return max;
    }

    private float[] weighted(float[] states, int tokens, int hidden, int from) {
        double[] sum = new double[hidden];
        double weights = 0;
        for (int t = from; t < tokens; t++) {
            double weight = this == WEIGHTED_MEAN ? t + 1 : 1;
            weights += weight;
            for (int h = 0; h < hidden; h++) {
                sum[h] += weight * states[t * hidden + h];
            }
        }
        // sentence-transformers clamps the divisor at 1e-9 so that an empty text gives zeros
        double divisor = this == MEAN_SQRT_LEN ? Math.sqrt(Math.max(weights, 1e-9)) : Math.max(weights, 1e-9);
        float[] pooled = new float[hidden];
        for (int h = 0; h < hidden; h++) {
            pooled[h] = (float) (sum[h] / divisor);
        }
        return pooled;
    }
}
