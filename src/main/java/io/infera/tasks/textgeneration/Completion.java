package io.infera.tasks.textgeneration;

import io.infera.generation.FinishReason;

/**
 * A finished continuation.
 *
 * @param text             the generated text (without the prompt, cut before a stop string)
 * @param promptTokens     tokens in the prompt
 * @param completionTokens tokens generated
 * @param finishReason     why it ended
 */
public record Completion(String text, int promptTokens, int completionTokens, FinishReason finishReason) {}
