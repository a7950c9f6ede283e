package io.infera.tasks.fillmask;

/**
 * @param topK      predictions per mask
 * @param targetIds when not null, only these vocabulary ids are scored
 */
public record FillMaskParameters(int topK, long[] targetIds) {}
