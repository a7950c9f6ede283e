package io.infera.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.batching.Row;
import io.infera.batching.Scheduler;
import io.infera.metrics.InferaMetrics;
import io.infera.registry.ServedModel;
import io.infera.routing.ShadowLane;
import io.infera.runtime.Tensor;
import io.infera.tasks.AnswerSummary;
import io.infera.tasks.TaskInput;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sends a copy of an answered request to its shadow version, through the {@link ShadowLane}, and
 * compares the two answers item by item ({@code infera_shadow_comparisons_total}, {@code
 * infera_shadow_score_difference}). The copy's answer goes nowhere else: the client has had the
 * primary's before the copy was even queued.
 */
@ApplicationScoped
public class ShadowCopies {

    /** Copies that run at once: one lane thread, so shadow work takes at most one core's share. */
    private static final int THREADS = 1;

    /** Copies that may wait behind it; more are dropped (and counted). */
    private static final int CAPACITY = 256;

    private final InferaMetrics metrics;
    private final ShadowLane lane = new ShadowLane(THREADS, CAPACITY);

    ShadowCopies(InferaMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Queues the copy of a request the primary has answered with {@code primaryAnswers}.
     *
     * @param shadow the version that answers the copy
     */
    void copyItems(ServedModel shadow, List<TaskInput> items, JsonNode parameters, List<Object> primaryAnswers) {
        queue(
                shadow,
                () -> shadow.pipeline().orElseThrow().predict(items, parameters, null),
                answers -> compare(shadow, primaryAnswers, answers));
    }

    /** Queues a copy whose work the route makes ({@code copy} of the shadow version), compared with one answer. */
    void copyAnswer(ServedModel shadow, Object primaryAnswer, Function<ServedModel, CompletableFuture<?>> copy) {
        queue(shadow, () -> copy.apply(shadow), answer -> compare(shadow, List.of(primaryAnswer), List.of(answer)));
    }

    /** Queues the copy of a raw-tensor request the primary has answered with {@code primaryOutputs}. */
    void copyRows(ServedModel shadow, List<Row> rows, List<Map<String, Tensor>> primaryOutputs) {
        queue(shadow, () -> shadow.batcher().submit(rows, Scheduler.NO_DEADLINE), outputs -> {
            for (int i = 0; i < Math.min(outputs.size(), primaryOutputs.size()); i++) {
                TensorAgreement agreement = TensorAgreement.of(primaryOutputs.get(i), outputs.get(i));
                metrics.shadowCompared(shadow.name(), shadow.version(), agreement.agree(), agreement.meanDifference());
            }
        });
    }

    /**
     * Offers one copy to the lane: {@code work} starts it on the shadow version, {@code compare}
     * reads its answer. Counted as answered, failed (refused before it ran, or failed running) or
     * dropped (the lane was full).
     */
    private <A> void queue(ServedModel shadow, Supplier<CompletableFuture<A>> work, Consumer<A> compare) {
        String model = shadow.name();
        String version = shadow.version();
        boolean queued = lane.offer(() -> {
            try {
                return work.get().whenComplete((answer, error) -> {
                    if (error != null) {
                        metrics.shadowCopy(model, version, "failed");
                    } else {
                        metrics.shadowCopy(model, version, "answered");
                        compare.accept(answer);
                    }
                });
            } catch (RuntimeException e) { // refused before it ran: another task, a full queue, other inputs
                metrics.shadowCopy(model, version, "failed");
                return CompletableFuture.completedFuture(null);
            }
        });
        if (!queued) {
            metrics.shadowCopy(model, version, "dropped");
        }
    }

    private void compare(ServedModel version, List<Object> primary, List<?> shadow) {
        for (int i = 0; i < Math.min(primary.size(), shadow.size()); i++) {
            AnswerSummary a = AnswerSummary.of(primary.get(i));
            AnswerSummary b = AnswerSummary.of(shadow.get(i));
            metrics.shadowCompared(version.name(), version.version(), a.agrees(b), a.scoreDifference(b));
        }
    }

    /** Copies waiting in the lane now. */
    int waiting() {
        return lane.waiting();
    }

    @PreDestroy
    void close() {
        lane.close();
    }
}
