package io.infera.registry;

import io.infera.batching.BatchingMode;
import io.infera.batching.DynamicBatcher;
import io.infera.runtime.Backend;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A loaded model: its backend instances, the batcher in front of them and, when it has a task,
 * the task's pipeline (for text generation, a pipeline with a generation loop of its own). Models
 * without a task answer on the raw-tensor (Open Inference Protocol) route only.
 */
public final class ServedModel implements AutoCloseable {

    private final String name;
    private final String version;
    private final List<Backend> instances;
    private final DynamicBatcher batcher;
    private final Pipeline pipeline;
    private final BatchingMode batching;
    private final Details details;
    private final Instant loadedAt = Instant.now();

    ServedModel(
            String name,
            String version,
            List<Backend> instances,
            DynamicBatcher batcher,
            Pipeline pipeline,
            BatchingMode batching,
            Details details) {
        this.name = name;
        this.version = version;
        this.instances = List.copyOf(instances);
        this.batcher = batcher;
        this.pipeline = pipeline;
        this.batching = batching;
        this.details = details;
    }

    /**
     * What the model list shows of a version beside its runners.
     *
     * @param description  serving.yaml's one line on what the model is, or null
     * @param execution    how it runs on the machine
     * @param weightsBytes the weight files' size times the sessions: the bulk of its memory
     * @param card         its model card
     */
    public record Details(String description, Execution execution, long weightsBytes, ModelCard card) {}

    /** Its model card: README.md's front matter and markdown, with serving.yaml's model_card fields. */
    public ModelCard card() {
        return details.card();
    }

    /** The bytes of weights its sessions hold (the weight files' size times the sessions): the bulk of its memory. */
    public long weightsBytes() {
        return details.weightsBytes();
    }

    /**
     * How the model runs on the machine, as chosen at load: sessions and, for ONNX Runtime, its
     * thread settings (null where the backend's threads are process-wide).
     */
    public record Execution(int instances, Integer intraOpThreads, Integer interOpThreads, Boolean spinning) {}

    public Execution execution() {
        return details.execution();
    }

    /** serving.yaml's one line on what the model is, or null. */
    public String description() {
        return details.description();
    }

    /** How the model's requests share runs, and why. */
    public BatchingMode batching() {
        return batching;
    }

    public String name() {
        return name;
    }

    /** The served version: the numbered folder's name, or "1" for a folder without versions. */
    public String version() {
        return version;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    /** The first backend instance: what the model declares, and the raw-tensor route's runner. */
    public Backend backend() {
        return instances.getFirst();
    }

    public int instances() {
        return instances.size();
    }

    public DynamicBatcher batcher() {
        return batcher;
    }

    /** The task of its pipeline, if it has one. */
    public Optional<TaskType> taskType() {
        return Optional.ofNullable(pipeline).map(Pipeline::taskType);
    }

    /**
     * Refuses a request at once when the queue its work would join is full, before it is decoded:
     * the pipeline's (a generation model's own queue), or the batcher's for a model without a task.
     *
     * @throws io.infera.errors.OverloadedException when that queue is full now
     */
    public void admit() {
        if (pipeline != null) {
            pipeline.admit();
        } else {
            batcher.admit();
        }
    }

    public Optional<Pipeline> pipeline() {
        return Optional.ofNullable(pipeline);
    }

    /** Drains the batcher for at most {@code grace}, then frees the pipeline (and its task) and the backends. */
    public void close(Duration grace) {
        batcher.close(grace);
        if (pipeline != null) {
            pipeline.close(grace);
        }
        instances.forEach(Backend::close);
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
