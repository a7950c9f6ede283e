package io.infera.batching;

import io.infera.runtime.Tensor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Decides when and with what else a request's model rows run. Rows are named tensors without the
 * batch axis; the answer holds each row's outputs, in the order the rows were given.
 */
public interface Scheduler extends AutoCloseable {

    CompletableFuture<List<Map<String, Tensor>>> submit(List<Map<String, Tensor>> rows);

    @Override
    void close();
}
