package io.infera.batching;

import io.infera.runtime.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * One model row: named tensors without the batch axis, and its length along the axis that varies
 * between rows (tokens for text; 1 for inputs of fixed shape), which decides its shape bucket and
 * what padding it costs in a batch. A pre-batched row (a raw-tensor request that brings its own
 * batch axis) runs as one backend call of its own, never merged with others.
 *
 * <p>Padding must not change a row's answer. Where it would, the row names the inputs that must
 * never be padded, and it shares a batch only with rows whose those inputs have exactly its shapes:
 * a picture is never padded to a larger one (convolutions see the padding and positional
 * embeddings are resized to it), and raw audio normalised over the whole clip is never padded with
 * silence. An unpadded row is one whose every input is so.
 *
 * @param exactInputs the inputs that rows sharing a batch must have in exactly the same shape
 */
public record Row(Map<String, Tensor> tensors, int length, boolean prebatched, Set<String> exactInputs) {

    public Row(Map<String, Tensor> tensors, int length) {
        this(tensors, length, false, Set.of());
    }

    public Row {
        tensors = Map.copyOf(tensors);
        exactInputs = Set.copyOf(exactInputs);
        if (length < 1) {
            throw new IllegalArgumentException("row length must be >= 1, got " + length);
        }
        if (!tensors.keySet().containsAll(exactInputs)) {
            throw new IllegalArgumentException(
                    "exact inputs " + exactInputs + " are not all among the row's " + tensors.keySet());
        }
    }

    /** A picture's or a spectrogram's row: it shares a batch only with rows of exactly its shapes. */
    public static Row unpadded(Map<String, Tensor> tensors) {
        return unpadded(tensors, 1);
    }

    /** A row that may share a batch only with rows whose every input has exactly its shape. */
    public static Row unpadded(Map<String, Tensor> tensors, int length) {
        return new Row(tensors, length, false, tensors.keySet());
    }

    /** A row whose {@code exact} inputs are never padded (a picture), the others padded to the batch's longest (a question). */
    public static Row withExactInputs(Map<String, Tensor> tensors, int length, Set<String> exact) {
        return new Row(tensors, length, false, exact);
    }

    /** Tensors that already carry their batch axis: run as they are, outputs returned whole. */
    public static Row prebatched(Map<String, Tensor> tensors) {
        return new Row(tensors, 1, true, Set.of());
    }

    /** Whether no input of this row may be padded. */
    public boolean unpadded() {
        return !exactInputs.isEmpty() && exactInputs.size() == tensors.size();
    }

    /** Whether this row can share a batch with {@code other} without padding an input that either keeps exact. */
    boolean paddingCompatible(Row other) {
        for (String name : exactInputs) {
            Tensor mine = tensors.get(name);
            Tensor theirs = other.tensors().get(name);
            if (theirs == null || !Arrays.equals(mine.shape(), theirs.shape())) {
                return false;
            }
        }
        for (String name : other.exactInputs()) {
            Tensor mine = tensors.get(name);
            if (mine == null
                    || !Arrays.equals(mine.shape(), other.tensors().get(name).shape())) {
                return false;
            }
        }
        return true;
    }
}
