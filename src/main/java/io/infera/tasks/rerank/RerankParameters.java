package io.infera.tasks.rerank;

import java.util.OptionalInt;

/**
 * @param topN            how many texts to answer, best first; all when empty
 * @param returnDocuments whether each result carries its text
 * @param rawScores       the logit itself rather than the model's activation (sigmoid) of it
 */
public record RerankParameters(OptionalInt topN, boolean returnDocuments, boolean rawScores) {}
