package io.infera.tasks.textclassification;

import io.infera.processing.ScoreFunction;
import java.util.OptionalInt;

/**
 * @param topK     how many labels to return, best first; empty returns all
 * @param function how logits become scores
 */
public record TextClassificationParameters(OptionalInt topK, ScoreFunction function) {
}
