package io.infera.tasks;

import io.infera.batching.Row;
import io.infera.runtime.Backend;
import io.infera.runtime.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One task's request handling around the model call, as the transformers pipelines split it:
 * preprocess an item into model rows, the batcher runs the rows, postprocess the outputs into the
 * answer. A task holds what it loaded for its model (tokenizer, labels ...) and is thread-safe.
 *
 * @param <P> the task's parsed parameters
 * @param <C> what preprocessing keeps for postprocessing (offsets, original image size ...)
 */
public interface Task<P, C> extends AutoCloseable {

    TaskType type();

    /** Reads and validates this task's parameters (defaults from serving.yaml already merged in). */
    P parameters(Parameters parameters);

    /** Turns one input item into the rows it needs the model to run (usually one). */
    Preprocessed<C> preprocess(TaskInput input, P parameters);

    /**
     * Builds the answer for one item from the outputs of its rows, in row order.
     *
     * @param outputs per row, the model outputs without the batch axis (padded positions included)
     */
    Object postprocess(C context, List<Map<String, Tensor>> outputs, P parameters);

    /**
     * A row of the given length made of filler values, to run each shape bucket once at load so
     * that no request pays for a shape's first run; empty when the task has nothing to warm up.
     */
    default Optional<Row> warmupRow(int length) {
        return Optional.empty();
    }

    /**
     * How the model runs a batch of this task's rows: the backend itself, unless the task steps a
     * stateful model through each row (a recurrent detector over a clip's chunks) behind the
     * batcher's one-call interface.
     */
    default Backend runner(Backend model) {
        return model;
    }

    /** Whether the task's inputs are text (their strings are held to the text length limit). */
    default boolean readsText() {
        return false;
    }

    /** The value each input is padded with when rows of different lengths share a batch. */
    default Map<String, Number> padValues() {
        return Map.of();
    }

    /** Releases what the task loaded (a tokenizer's native memory ...). */
    @Override
    default void close() {}
}
