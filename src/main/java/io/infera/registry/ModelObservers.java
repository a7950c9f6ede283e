package io.infera.registry;

import io.infera.batching.BatchObserver;
import io.infera.generation.GenerationObserver;
import io.infera.tasks.PipelineObserver;

/** Where a loaded model reports what it does (the server's metrics); none by default. */
public interface ModelObservers {

    ModelObservers NONE = new ModelObservers() {};

    /** @param task the model's task name, or "none" for raw-tensor models */
    default BatchObserver batcher(String model, String task) {
        return BatchObserver.NONE;
    }

    /** A version's pipeline: stage times and the answers it gives. */
    default PipelineObserver pipeline(String model, String version, String task) {
        return PipelineObserver.NONE;
    }

    /** A text-generation model's loop: time to first token, step times, running and waiting sequences. */
    default GenerationObserver generation(String model) {
        return GenerationObserver.NONE;
    }

    /** A version is loaded, for gauges that read it (queue depth, weights held). */
    default void started(ServedModel model) {}
}
