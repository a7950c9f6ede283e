package io.infera.tasks.featureextraction;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One input's embedding and the tokens it was computed from: the answer is the vector alone
 * (a {@code float[]}, or {@code float[][]} per token with pooling none), the token count is what
 * the OpenAI embeddings route reports as usage.
 */
public record Embedding(Object vector, int tokens) {

    @JsonValue
    @Override
    public Object vector() {
        return vector;
    }

    /** The pooled vector; only for pooled embeddings. */
    public float[] pooled() {
        return (float[]) vector;
    }
}
