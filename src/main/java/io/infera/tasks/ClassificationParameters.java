package io.infera.tasks;

import io.infera.processing.ScoreFunction;
import java.util.OptionalInt;

/**
 * The parameters every classification task takes, as the pipelines name them.
 *
 * @param topK     how many labels to return, best first; empty returns all
 * @param function how logits become scores ({@code function_to_apply})
 */
public record ClassificationParameters(OptionalInt topK, ScoreFunction function) {}
