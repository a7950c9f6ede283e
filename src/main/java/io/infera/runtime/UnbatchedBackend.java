package io.infera.runtime;

import io.infera.errors.BackendException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model exported without a batch axis (torchvision detection exports take one [3, H, W]
 * picture and return [K, 4] boxes) behind the batched interface the rest of Infera speaks: a
 * batch axis of 1 is removed on the way in and put back on the way out. Such a model runs one
 * item at a time (serving.yaml {@code unbatched: true} sets max_batch_size 1).
 */
public final class UnbatchedBackend implements Backend {

    private final Backend inner;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;

    public UnbatchedBackend(Backend inner) {
        this.inner = inner;
        this.inputs = batched(inner.inputs());
        this.outputs = batched(inner.outputs());
    }

    private static List<TensorSpec> batched(List<TensorSpec> specs) {
        List<TensorSpec> out = new ArrayList<>();
        for (TensorSpec spec : specs) {
            long[] shape = new long[spec.rank() + 1];
            shape[0] = -1;
            System.arraycopy(spec.shape(), 0, shape, 1, spec.rank());
            out.add(new TensorSpec(spec.name(), spec.type(), shape));
        }
        return List.copyOf(out);
    }

    @Override
    public List<TensorSpec> inputs() {
        return inputs;
    }

    @Override
    public List<TensorSpec> outputs() {
        return outputs;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> feeds, List<String> wanted) {
        Map<String, Tensor> single = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> feed : feeds.entrySet()) {
            long[] shape = feed.getValue().shape();
            if (shape.length == 0 || shape[0] != 1) {
                throw new BackendException("an unbatched model runs one item at a time; input " + feed.getKey()
                        + " has shape " + Arrays.toString(shape));
            }
            single.put(
                    feed.getKey(),
                    new Tensor(
                            feed.getValue().type(),
                            Arrays.copyOfRange(shape, 1, shape.length),
                            feed.getValue().data()));
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> result : inner.run(single, wanted).entrySet()) {
            long[] shape = result.getValue().shape();
            long[] withBatch = new long[shape.length + 1];
            withBatch[0] = 1;
            System.arraycopy(shape, 0, withBatch, 1, shape.length);
            out.put(
                    result.getKey(),
                    new Tensor(
                            result.getValue().type(),
                            withBatch,
                            result.getValue().data()));
        }
        return out;
    }

    @Override
    public Set<String> operators() {
        return inner.operators();
    }

    @Override
    public String runtimeName() {
        return inner.runtimeName();
    }

    @Override
    public Device device() {
        return inner.device();
    }

    @Override
    public void close() {
        inner.close();
    }
}
