package io.infera.tasks;

import io.infera.batching.Row;
import java.util.List;

/**
 * The model rows one input item needs and the context its postprocessing reads.
 */
public record Preprocessed<C>(List<Row> rows, C context) {

    public Preprocessed {
        rows = List.copyOf(rows);
    }

    public static <C> Preprocessed<C> single(Row row, C context) {
        return new Preprocessed<>(List.of(row), context);
    }
}
