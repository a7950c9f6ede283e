package io.infera.tasks;

import io.infera.runtime.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The model rows one input item needs, each a map of named tensors without the batch axis, and
 * the context its postprocessing reads.
 */
public record Preprocessed<C>(List<Map<String, Tensor>> rows, C context) {

    public Preprocessed {
        rows = List.copyOf(rows);
    }

    public static <C> Preprocessed<C> single(Map<String, Tensor> row, C context) {
        return new Preprocessed<>(List.of(row), context);
    }
}
