package io.infera.metrics;

import io.infera.tasks.AnswerSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one model version answers, for prediction monitoring: the distribution of its top scores
 * ({@code infera_prediction_top_score}), how many of each label it predicts for the tasks that
 * predict labels ({@code infera_predicted_labels_total}; the first {@value #MAX_LABELS} labels seen
 * get a series each, the rest count as {@code other}) and the size of its answers ({@code
 * infera_prediction_size}: labels, entities, boxes, segments, results, dimensions, or characters
 * of generated text).
 */
final class Predictions {

    /** Label series per model version: a model with thousands of classes must not make thousands of series. */
    static final int MAX_LABELS = 32;

    static final String OTHER = "other";

    /** The tasks whose top label is a class out of a fixed set (not free text or a span). */
    private static final Set<String> LABELLING = Set.of(
            "text-classification",
            "token-classification",
            "zero-shot-classification",
            "image-classification",
            "audio-classification",
            "object-detection",
            "image-segmentation",
            "fill-mask",
            "multiple-choice");

    private final MeterRegistry registry;
    private final String model;
    private final String version;
    private final boolean labelling;
    private final DistributionSummary topScore;
    private final DistributionSummary size;
    private final Map<String, Counter> labels = new ConcurrentHashMap<>();

    Predictions(MeterRegistry registry, String model, String version, String task) {
        this.registry = registry;
        this.model = model;
        this.version = version;
        this.labelling = LABELLING.contains(task);
        this.topScore = DistributionSummary.builder("infera_prediction_top_score")
                .description("The top score of each answer")
                .tags("model", model, "version", version)
                .serviceLevelObjectives(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0)
                .register(registry);
        this.size = DistributionSummary.builder("infera_prediction_size")
                .description("Labels, entities, boxes, segments, results, dimensions or characters per answer")
                .tags("model", model, "version", version)
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
                .register(registry);
    }

    void record(AnswerSummary answer) {
        if (!Double.isNaN(answer.score())) {
            topScore.record(answer.score());
        }
        size.record(answer.size());
        if (labelling && answer.label() != null) {
            label(answer.label()).increment();
        }
    }

    private Counter label(String label) {
        Counter counter = labels.get(label);
        if (counter != null) {
            return counter;
        }
        String tag = labels.size() < MAX_LABELS ? label : OTHER;
        return labels.computeIfAbsent(
                tag,
                t -> Counter.builder("infera_predicted_labels")
                        .description("Answers by predicted top label (the first " + MAX_LABELS + " labels, then other)")
                        .tags("model", model, "version", version, "label", t)
                        .register(registry));
    }
}
