package io.infera.tasks;

import io.infera.batching.Row;
import java.util.Map;
import java.util.Optional;

/**
 * A task whose model reads tokenized text through a {@link TextEncoder}: its inputs are text
 * (held to the text limit), its warm-up rows, pad values and release come from the encoder.
 */
public interface TextTask<P, C> extends Task<P, C> {

    /** The tokenizer and model-input layout this task encodes with. */
    TextEncoder encoder();

    @Override
    default boolean readsText() {
        return true;
    }

    @Override
    default Optional<Row> warmupRow(int length) {
        return Optional.of(encoder().warmupRow(length));
    }

    @Override
    default Map<String, Number> padValues() {
        return encoder().padValues();
    }

    @Override
    default void close() {
        encoder().close();
    }
}
