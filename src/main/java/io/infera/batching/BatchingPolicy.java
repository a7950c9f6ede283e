package io.infera.batching;

import java.util.Arrays;

/**
 * How one model's batcher forms batches. Every knob in one place, as Triton's model config does.
 *
 * @param maxBatchSize        the most rows in one backend call
 * @param maxQueueDelayNanos  how long the oldest row may wait for others to fill its batch
 * @param maxQueueSize        the most rows waiting; beyond it requests are refused (429)
 * @param preferredBatchSizes batch sizes dispatched at once when reached, without waiting out the delay
 * @param maxBatchTokens      padded cost budget of a batch: longest row length x rows; 0 for none
 * @param buckets             ascending length bounds; rows share a batch only within one bucket
 * @param reorderWindow       how many queued rows the planner looks at: a row can be overtaken only
 *                            by rows within this window
 */
public record BatchingPolicy(
        int maxBatchSize,
        long maxQueueDelayNanos,
        int maxQueueSize,
        int[] preferredBatchSizes,
        long maxBatchTokens,
        int[] buckets,
        int reorderWindow) {

    public BatchingPolicy {
        if (maxBatchSize < 1 || maxQueueSize < 1 || reorderWindow < 1 || maxQueueDelayNanos < 0 || maxBatchTokens < 0) {
            throw new IllegalArgumentException("batching: sizes must be >= 1 and delays/budgets >= 0");
        }
        preferredBatchSizes =
                Arrays.stream(preferredBatchSizes).sorted().distinct().toArray();
        buckets = Arrays.stream(buckets).sorted().distinct().toArray();
        for (int size : preferredBatchSizes) {
            if (size < 1 || size > maxBatchSize) {
                throw new IllegalArgumentException(
                        "batching: preferred batch size " + size + " is not in 1.." + maxBatchSize);
            }
        }
        if (buckets.length > 0 && buckets[0] < 1) {
            throw new IllegalArgumentException("batching: buckets must be >= 1");
        }
    }

    /** The bucket of a row length: the smallest bound that holds it, or the length itself beyond the last. */
    public int bucketOf(int length) {
        for (int bound : buckets) {
            if (length <= bound) {
                return bound;
            }
        }
        return buckets.length == 0 ? 0 : Integer.MAX_VALUE;
    }

    @Override
    public int[] preferredBatchSizes() {
        return preferredBatchSizes.clone();
    }

    @Override
    public int[] buckets() {
        return buckets.clone();
    }

    /**
     * The same queue, delays and buckets with one row per batch: for models whose rows would change
     * each other's answers, or that have no batch axis.
     */
    public BatchingPolicy oneRowAtATime() {
        return new BatchingPolicy(1, maxQueueDelayNanos, maxQueueSize, new int[0], 0, buckets, reorderWindow);
    }

    @Override
    public String toString() {
        return "max_batch_size=" + maxBatchSize + " max_queue_delay_us=" + maxQueueDelayNanos / 1000
                + " max_queue_size=" + maxQueueSize + " preferred=" + Arrays.toString(preferredBatchSizes)
                + " max_batch_tokens=" + maxBatchTokens + " buckets=" + Arrays.toString(buckets)
                + " reorder_window=" + reorderWindow;
    }
}
