package io.infera.runtime;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a graph couples the rows of one run, so that a row's answer depends on the rows run
 * beside it. Dynamic quantization does: DynamicQuantizeLinear (and ONNX Runtime's fused
 * DynamicQuantizeMatMul and DynamicQuantizeLSTM) take one scale and zero point from the minimum and
 * maximum of the whole input tensor, which in a batch holds every row and the padding. Every other
 * operator of the standard and ONNX Runtime sets works row by row where the batch axis is concerned.
 */
public final class BatchCoupling {

    /** Operators whose result for one row depends on the other rows of the tensor. */
    static final List<String> COUPLING_OPERATORS =
            List.of("DynamicQuantizeLinear", "DynamicQuantizeMatMul", "DynamicQuantizeLSTM");

    private BatchCoupling() {}

    /** @return why rows of this graph cannot share a run, or empty where they can */
    public static Optional<String> of(Set<String> operators) {
        List<String> coupling =
                COUPLING_OPERATORS.stream().filter(operators::contains).toList();
        if (coupling.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the graph quantizes activations dynamically (" + String.join(", ", coupling)
                + "): the scale is taken over the whole batch, so rows run together would change each other's answers");
    }
}
