package io.infera.tasks.tokenclassification;

import java.util.List;
import java.util.OptionalInt;

/**
 * @param aggregation  how tokens become entities
 * @param ignoreLabels tags left out of the answer (default {@code ["O"]})
 * @param stride       when present, long texts are split into windows overlapping by this many tokens
 */
public record TokenClassificationParameters(
        AggregationStrategy aggregation, List<String> ignoreLabels, OptionalInt stride) {}
