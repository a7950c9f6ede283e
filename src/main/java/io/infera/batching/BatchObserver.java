package io.infera.batching;

/** What a batcher reports, for metrics; implementations must be cheap and thread-safe. */
public interface BatchObserver {

    BatchObserver NONE = new BatchObserver() {};

    /** A row left the queue for a batch after waiting this long. */
    default void dequeued(long queueNanos) {}

    /**
     * One backend call finished.
     *
     * @param rows          rows in the batch
     * @param realTokens    sum of the rows' lengths
     * @param paddedTokens  longest length x rows: what the backend computed
     * @param inferenceNanos the backend call's duration
     */
    default void batch(int rows, long realTokens, long paddedTokens, long inferenceNanos) {}

    /** Rows were dropped because their request's deadline passed while they waited. */
    default void expired(int rows) {}

    /** A request was refused because the queue was full. */
    default void rejected(int rows) {}
}
