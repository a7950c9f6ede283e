package io.infera.testing;

import io.infera.runtime.Backend;
import io.infera.runtime.Device;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A backend that runs another and records the shape of every input of every call; closing it leaves the other open. */
public final class RecordingBackend implements Backend {

    private final Backend backend;
    private final List<Map<String, long[]>> calls = new CopyOnWriteArrayList<>();

    public RecordingBackend(Backend backend) {
        this.backend = backend;
    }

    /** Per call, in order, input name to shape. */
    public List<Map<String, long[]>> calls() {
        return calls;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputs) {
        Map<String, long[]> shapes = new HashMap<>();
        inputs.forEach((name, tensor) -> shapes.put(name, tensor.shape()));
        calls.add(shapes);
        return backend.run(inputs, outputs);
    }

    @Override
    public List<TensorSpec> inputs() {
        return backend.inputs();
    }

    @Override
    public List<TensorSpec> outputs() {
        return backend.outputs();
    }

    @Override
    public String runtimeName() {
        return backend.runtimeName();
    }

    @Override
    public Device device() {
        return backend.device();
    }

    @Override
    public void close() {}
}
