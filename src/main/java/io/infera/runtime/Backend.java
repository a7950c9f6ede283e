package io.infera.runtime;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one loaded model: named tensors in, named tensors out. A backend knows nothing of tasks,
 * tokenizers or HTTP; it is safe to call from several threads at once.
 */
public interface Backend extends AutoCloseable {

    /** The inputs the model declares, in its own order. */
    List<TensorSpec> inputs();

    /** The outputs the model declares, in its own order. */
    List<TensorSpec> outputs();

    /**
     * Runs the model once.
     *
     * @param inputs  one tensor per declared input, batch first where the model batches
     * @param outputs the names of the outputs wanted; empty means all
     * @throws io.infera.errors.BackendException when the runtime fails
     */
    Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputs);

    /**
     * Runs the model once, stopping it when {@code deadlineNanos} ({@link System#nanoTime()}) passes
     * where the runtime can stop a run; one that cannot runs to the end.
     *
     * @throws io.infera.errors.DeadlineExceededException when the run was stopped at the deadline
     */
    default Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputs, long deadlineNanos) {
        return run(inputs, outputs);
    }

    /**
     * The operator types of the model's graph, where the runtime can tell (ONNX); empty where it
     * cannot (a TorchScript archive).
     */
    default Set<String> operators() {
        return Set.of();
    }

    /** A short name of the runtime, such as {@code onnxruntime}. */
    String runtimeName();

    Device device();

    @Override
    void close();
}
