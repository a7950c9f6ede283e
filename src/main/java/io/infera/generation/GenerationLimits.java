package io.infera.generation;

/**
 * What one model's generation loop may take on.
 *
 * @param maxSequences  sequences decoded together in one step (the running batch)
 * @param maxQueued     sequences waiting to join; more are refused with 429
 * @param maxStepTokens prompt tokens that may join in one step (a long prompt alone may exceed it)
 */
public record GenerationLimits(int maxSequences, int maxQueued, int maxStepTokens) {

    public GenerationLimits {
        if (maxSequences < 1 || maxQueued < 0 || maxStepTokens < 1) {
            throw new IllegalArgumentException(
                    "generation limits must be positive: " + maxSequences + ", " + maxQueued + ", " + maxStepTokens);
        }
    }
}
