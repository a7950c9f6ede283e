package io.infera.generation;

/**
 * A finished sequence.
 *
 * @param tokens        the generated tokens (without the prompt; with the end-of-sequence token when one ended it)
 * @param promptTokens  how many tokens the prompt had
 * @param finishReason  why it stopped
 * @param firstTokenNanos time from submission to the first generated token
 */
public record Generated(int[] tokens, int promptTokens, FinishReason finishReason, long firstTokenNanos) {}
