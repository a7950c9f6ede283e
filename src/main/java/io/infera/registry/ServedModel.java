package io.infera.registry;

import io.infera.batching.Scheduler;
import io.infera.runtime.Backend;
import io.infera.tasks.Pipeline;
import io.infera.tasks.Task;
import io.infera.tasks.TaskType;
import java.time.Instant;
import java.util.Optional;

/**
 * A loaded model: its backend, the scheduler in front of it and, when it has a task, the task's
 * pipeline. Models without a task answer on the raw-tensor (Open Inference Protocol) route only.
 */
public final class ServedModel implements AutoCloseable {

    private final String name;
    private final String version;
    private final Backend backend;
    private final Scheduler scheduler;
    private final Task<?, ?> task;
    private final Pipeline pipeline;
    private final Instant loadedAt = Instant.now();

    ServedModel(String name, String version, Backend backend, Scheduler scheduler, Task<?, ?> task, Pipeline pipeline) {
        this.name = name;
        this.version = version;
        this.backend = backend;
        this.scheduler = scheduler;
        this.task = task;
        this.pipeline = pipeline;
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

    public Backend backend() {
        return backend;
    }

    public Optional<TaskType> taskType() {
        return Optional.ofNullable(task).map(Task::type);
    }

    public Optional<Pipeline> pipeline() {
        return Optional.ofNullable(pipeline);
    }

    @Override
    public void close() {
        scheduler.close();
        if (task != null) {
            task.close();
        }
        backend.close();
    }
}
