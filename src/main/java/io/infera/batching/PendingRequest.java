package io.infera.batching;

import io.infera.runtime.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One submitted request: its rows' outputs fill in as their batches finish (in any order and in
 * any batch), and its future completes when the last one arrives, or fails on the first error.
 */
final class PendingRequest {

    private final CompletableFuture<List<Map<String, Tensor>>> future = new CompletableFuture<>();
    private final Map<String, Tensor>[] outputs;
    private final AtomicInteger remaining;
    private final long deadlineNanos;

    @SuppressWarnings("unchecked")
    PendingRequest(int rows, long deadlineNanos) {
        this.outputs = new Map[rows];
        this.remaining = new AtomicInteger(rows);
        this.deadlineNanos = deadlineNanos;
    }

    CompletableFuture<List<Map<String, Tensor>>> future() {
        return future;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    boolean isDone() {
        return future.isDone();
    }

    void complete(int index, Map<String, Tensor> output) {
        outputs[index] = output;
        if (remaining.decrementAndGet() == 0) {
            future.complete(Arrays.asList(outputs));
        }
    }

    void fail(Throwable error) {
        future.completeExceptionally(error);
    }
}
