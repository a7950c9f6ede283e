package io.infera.processing;

import java.util.Locale;

/** What turns a classifier's logits into scores, as the transformers pipelines' {@code function_to_apply}. */
public enum ScoreFunction {
    SOFTMAX,
    SIGMOID,
    NONE;

    public static ScoreFunction parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    /** Applies the function to one row of logits, in double precision. */
    public double[] apply(float[] logits) {
        double[] scores = new double[logits.length];
        switch (this) {
            case SOFTMAX -> {
                double max = Double.NEGATIVE_INFINITY;
                for (float v : logits) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int i = 0; i < logits.length; i++) {
                    scores[i] = Math.exp(logits[i] - max);
                    sum += scores[i];
                }
                for (int i = 0; i < scores.length; i++) {
                    scores[i] /= sum;
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < logits.length; i++) {
                    scores[i] = 1.0 / (1.0 + Math.exp(-logits[i]));
                }
            }
            case NONE -> {
                for (int i = 0; i < logits.length; i++) {
                    scores[i] = logits[i];
                }
            }
        }
        return scores;
    }

    /**
     * The transformers pipelines' default for a classifier config: none for regression, sigmoid for
     * multi-label or single-output models, softmax otherwise.
     */
    public static ScoreFunction defaultFor(String problemType, int numLabels) {
        if ("regression".equals(problemType)) {
            return NONE;
        }
        if ("multi_label_classification".equals(problemType) || numLabels == 1) {
            return SIGMOID;
        }
        return SOFTMAX;
    }
}
