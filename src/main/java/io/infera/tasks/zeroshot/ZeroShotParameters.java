package io.infera.tasks.zeroshot;

import java.util.List;

/**
 * @param candidateLabels    the labels to choose from
 * @param hypothesisTemplate the NLI hypothesis, with {@code {}} where a label goes
 * @param multiLabel         score each label on its own (entailment vs contradiction) instead of against each other
 */
public record ZeroShotParameters(List<String> candidateLabels, String hypothesisTemplate, boolean multiLabel) {}
