package io.infera.batching;

import io.infera.runtime.Backend;
import io.infera.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a request's rows on the calling thread, in batches of at most {@code maxBatchSize}; rows of
 * different requests never share a batch. The simplest scheduler: no queue, no waiting.
 */
public final class DirectScheduler implements Scheduler {

    private final Backend backend;
    private final Map<String, Number> padValues;
    private final int maxBatchSize;

    public DirectScheduler(Backend backend, Map<String, Number> padValues, int maxBatchSize) {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be >= 1");
        }
        this.backend = backend;
        this.padValues = Map.copyOf(padValues);
        this.maxBatchSize = maxBatchSize;
    }

    @Override
    public CompletableFuture<List<Map<String, Tensor>>> submit(List<Map<String, Tensor>> rows) {
        try {
            List<Map<String, Tensor>> outputs = new ArrayList<>(rows.size());
            for (int start = 0; start < rows.size(); start += maxBatchSize) {
                List<Map<String, Tensor>> chunk = rows.subList(start, Math.min(rows.size(), start + maxBatchSize));
                Map<String, Tensor> result = backend.run(BatchCollator.collate(chunk, padValues), List.of());
                outputs.addAll(BatchCollator.split(result, chunk.size()));
            }
            return CompletableFuture.completedFuture(outputs);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        // Nothing queued, nothing to drain.
    }
}
