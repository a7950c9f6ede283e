package io.infera.batching;

import io.infera.runtime.Tensor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Decides when and with what else a request's model rows run. The answer holds each row's outputs
 * (without the batch axis), in the order the rows were given.
 */
public interface Scheduler extends AutoCloseable {

    /** No deadline. */
    long NO_DEADLINE = Long.MAX_VALUE;

    /**
     * @param deadlineNanos a {@link System#nanoTime()} after which the request is failed as timed out
     *                      and its queued rows are dropped unrun, or {@link #NO_DEADLINE}
     * @throws io.infera.errors.OverloadedException when the queue cannot take the rows
     * @throws io.infera.errors.ShuttingDownException when the scheduler is draining
     */
    CompletableFuture<List<Map<String, Tensor>>> submit(List<Row> rows, long deadlineNanos);

    /**
     * Refuses at once when the queue is full, before the caller prepares rows that submit would refuse.
     *
     * @throws io.infera.errors.OverloadedException when no row fits in the queue now
     */
    void admit();

    @Override
    void close();
}
