package io.infera.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.batching.Row;
import io.infera.batching.Scheduler;
import io.infera.metrics.InferaMetrics;
import io.infera.registry.ServedModel;
import io.infera.routing.ShadowLane;
import io.infera.runtime.Tensor;
import io.infera.tasks.AnswerSummary;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskInput;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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
        String model = shadow.name();
        String version = shadow.version();
        Pipeline pipeline = shadow.pipeline().orElse(null);
        if (pipeline == null) {
            metrics.shadowCopy(model, version, "failed");
            return;
        }
        boolean queued = lane.offer(() -> {
            try {
                return pipeline.predict(items, parameters, null).whenComplete((answers, error) -> {
                    if (error != null) {
                        metrics.shadowCopy(model, version, "failed");
                    } else {
                        metrics.shadowCopy(model, version, "answered");
                        compare(model, version, primaryAnswers, answers);
                    }
                });
            } catch (RuntimeException e) { // refused before it ran: its queue is full, or it reads the input otherwise
                metrics.shadowCopy(model, version, "failed");
                return CompletableFuture.completedFuture(null);
            }
        });
        if (!queued) {
            metrics.shadowCopy(model, version, "dropped");
        }
    }

    /** Queues a copy whose work the route makes ({@code copy} of the shadow version), compared with one answer. */
    void copyAnswer(ServedModel shadow, Object primaryAnswer, Function<ServedModel, CompletableFuture<?>> copy) {
        String model = shadow.name();
        String version = shadow.version();
        boolean queued = lane.offer(() -> {
            try {
                return copy.apply(shadow).whenComplete((answer, error) -> {
                    if (error != null) {
                        metrics.shadowCopy(model, version, "failed");
                    } else {
                        metrics.shadowCopy(model, version, "answered");
                        compare(model, version, List.of(primaryAnswer), List.of(answer));
                    }
                });
            } catch (RuntimeException e) { // the shadow refused it before it ran (another task, a full queue)
                metrics.shadowCopy(model, version, "failed");
                return CompletableFuture.completedFuture(null);
            }
        });
        if (!queued) {
            metrics.shadowCopy(model, version, "dropped");
        }
    }

    /** Queues the copy of a raw-tensor request the primary has answered with {@code primaryOutputs}. */
    void copyRows(ServedModel shadow, List<Row> rows, List<Map<String, Tensor>> primaryOutputs) {
        String model = shadow.name();
        String version = shadow.version();
        boolean queued = lane.offer(() -> {
            try {
                return shadow.batcher().submit(rows, Scheduler.NO_DEADLINE).whenComplete((outputs, error) -> {
                    if (error != null) {
                        metrics.shadowCopy(model, version, "failed");
                    } else {
                        metrics.shadowCopy(model, version, "answered");
                        for (int i = 0; i < Math.min(outputs.size(), primaryOutputs.size()); i++) {
                            TensorAgreement agreement = TensorAgreement.of(primaryOutputs.get(i), outputs.get(i));
                            metrics.shadowCompared(model, version, agreement.agree(), agreement.meanDifference());
                        }
                    }
                });
            } catch (RuntimeException e) { // refused before it ran: its queue is full, or its inputs differ
                metrics.shadowCopy(model, version, "failed");
                return CompletableFuture.completedFuture(null);
            }
        });
        if (!queued) {
            metrics.shadowCopy(model, version, "dropped");
        }
    }

    private void compare(String model, String version, List<Object> primary, List<Object> shadow) {
        for (int i = 0; i < Math.min(primary.size(), shadow.size()); i++) {
            AnswerSummary a = AnswerSummary.of(primary.get(i));
            AnswerSummary b = AnswerSummary.of(shadow.get(i));
            metrics.shadowCompared(model, version, a.agrees(b), a.scoreDifference(b));
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
