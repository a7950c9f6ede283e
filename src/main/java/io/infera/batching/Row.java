package io.infera.batching;

import io.infera.runtime.Tensor;
import java.util.Map;

/**
 * One model row: named tensors without the batch axis, and its length along the axis that varies
 * between rows (tokens for text; 1 for inputs of fixed shape), which decides its shape bucket and
 * what padding it costs in a batch. A pre-batched row (a raw-tensor request that brings its own
 * batch axis) runs as one backend call of its own, never merged with others. An unpadded row
 * only shares a batch with rows of exactly its length: for models whose answer padding would
 * change (raw-audio models normalise over the whole clip).
 */
public record Row(Map<String, Tensor> tensors, int length, boolean prebatched, boolean unpadded) {

    public Row(Map<String, Tensor> tensors, int length) {
        this(tensors, length, false, false);
    }

    public Row(Map<String, Tensor> tensors, int length, boolean prebatched) {
        this(tensors, length, prebatched, false);
    }

    /** A row that may share a batch only with rows of the same length. */
    public static Row unpadded(Map<String, Tensor> tensors, int length) {
        return new Row(tensors, length, false, true);
    }

    public Row {
        tensors = Map.copyOf(tensors);
        if (length < 1) {
            throw new IllegalArgumentException("row length must be >= 1, got " + length);
        }
    }

    /** A row whose inputs have the same shape for every item (images ...). */
    public static Row fixed(Map<String, Tensor> tensors) {
        return new Row(tensors, 1);
    }

    /** Tensors that already carry their batch axis: run as they are, outputs returned whole. */
    public static Row prebatched(Map<String, Tensor> tensors) {
        return new Row(tensors, 1, true);
    }
}
