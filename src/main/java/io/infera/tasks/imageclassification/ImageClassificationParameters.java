package io.infera.tasks.imageclassification;

import io.infera.processing.ScoreFunction;
import java.util.OptionalInt;

/**
 * @param topK     how many labels to return, best first (the pipeline's default is 5); empty returns all
 * @param function how logits become scores
 */
public record ImageClassificationParameters(OptionalInt topK, ScoreFunction function) {
}
