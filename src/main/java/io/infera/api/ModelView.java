package io.infera.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.infera.batching.BatchingMode;
import io.infera.batching.BatchingPolicy;
import io.infera.registry.ModelCard;
import io.infera.registry.ModelStatus;
import io.infera.registry.ServedModel;
import io.infera.registry.VersionStatus;
import io.infera.routing.TrafficPolicy;
import io.infera.runtime.TensorSpec;
import java.util.List;

/**
 * One model in {@code /v1/models}: OpenAI's {@code id, object, created, owned_by} plus its description, task,
 * default version, runtime, device, state, failure reason, how it batches and why, its tensors, every
 * served version with its state and weights, and the traffic policy between them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelView(
        String id,
        String object,
        Long created,
        @JsonProperty("owned_by") String ownedBy,
        String description,
        String task,
        String version,
        String backend,
        String device,
        String state,
        String reason,
        BatchingMode batching,
        ExecutionView execution,
        List<TensorView> inputs,
        List<TensorView> outputs,
        List<VersionView> versions,
        TrafficPolicy traffic,
        ModelCard card) {

    /** One served version: its state, why it failed, when it loaded and the bytes of weights it holds. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VersionView(
            String version,
            String state,
            String reason,
            @JsonProperty("loaded_at") Long loadedAt,
            @JsonProperty("weights_bytes") Long weightsBytes) {
        static VersionView of(VersionStatus status) {
            ServedModel model = status.model();
            return new VersionView(
                    status.version(),
                    status.state().name(),
                    status.reason(),
                    model == null ? null : model.loadedAt().getEpochSecond(),
                    model == null ? null : model.weightsBytes());
        }
    }

    /** The sessions, threads and batch shapes the model runs with, whether configured or chosen at load. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExecutionView(
            int instances,
            @JsonProperty("intra_op_threads") Integer intraOpThreads,
            @JsonProperty("inter_op_threads") Integer interOpThreads,
            Boolean spinning,
            @JsonProperty("max_batch_size") int maxBatchSize,
            @JsonProperty("max_queue_delay_us") long maxQueueDelayUs,
            int[] buckets) {
        static ExecutionView of(ServedModel model) {
            ServedModel.Execution e = model.execution();
            BatchingPolicy policy = model.batcher().policy();
            return new ExecutionView(
                    e.instances(),
                    e.intraOpThreads(),
                    e.interOpThreads(),
                    e.spinning(),
                    policy.maxBatchSize(),
                    policy.maxQueueDelayNanos() / 1000,
                    policy.buckets());
        }
    }

    /** A declared tensor; -1 marks a free dimension. */
    public record TensorView(String name, String datatype, long[] shape) {
        static TensorView of(TensorSpec spec) {
            return new TensorView(spec.name(), spec.type().name(), spec.shape());
        }
    }

    /** The model as the list shows it (no card: cards are long). */
    static ModelView of(ModelStatus status) {
        return of(status, false);
    }

    /** @param withCard whether to add the default version's model card (the single-model view) */
    static ModelView of(ModelStatus status, boolean withCard) {
        ServedModel model = status.model();
        if (model == null) {
            return new ModelView(
                    status.name(),
                    "model",
                    null,
                    "infera",
                    null,
                    status.task() == null ? null : status.task().wireName(),
                    null,
                    null,
                    null,
                    status.state().name(),
                    status.reason(),
                    null,
                    null,
                    null,
                    null,
                    versions(status),
                    traffic(status),
                    null);
        }
        return new ModelView(
                status.name(),
                "model",
                model.loadedAt().getEpochSecond(),
                "infera",
                model.description(),
                model.taskType().map(t -> t.wireName()).orElse(null),
                model.version(),
                model.backend().runtimeName(),
                model.backend().device().toString(),
                status.state().name(),
                null,
                model.batching(),
                ExecutionView.of(model),
                model.backend().inputs().stream().map(TensorView::of).toList(),
                model.backend().outputs().stream().map(TensorView::of).toList(),
                versions(status),
                traffic(status),
                withCard ? model.card() : null);
    }

    private static List<VersionView> versions(ModelStatus status) {
        return status.versions().isEmpty()
                ? null
                : status.versions().stream().map(VersionView::of).toList();
    }

    private static TrafficPolicy traffic(ModelStatus status) {
        return status.traffic().equals(TrafficPolicy.NONE) ? null : status.traffic();
    }
}
