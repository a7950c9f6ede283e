package io.infera.batching;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The batcher's one decision, in one pure function: given the queue (oldest first) and the time,
 * either run a batch now or wait until a given time. Triton's GetDynamicBatch decides the same
 * question; this planner adds shape buckets and a padded-token budget.
 *
 * <p>The oldest row's bucket always forms the next batch, so no row waits behind ever-newer rows of
 * other lengths (ageing by construction); same-bucket rows further back may join it, but only from
 * the first {@code reorderWindow} rows. A batch stops growing at {@code maxBatchSize} rows or when
 * one more row would push longest-length x rows over {@code maxBatchTokens}. Rows with inputs that
 * must not be padded join only rows with those inputs in exactly their shapes. Pre-batched rows
 * (raw-tensor requests) run alone, in their turn.
 */
final class BatchPlanner {

    /** What to do now. */
    sealed interface Plan {
        /** Run these rows as one batch. */
        record Run(List<QueuedRow> rows) implements Plan {}

        /** Nothing is due; plan again at this time (or when a row arrives). */
        record Wait(long untilNanos) implements Plan {}

        /** The queue is empty. */
        record Idle() implements Plan {}
    }

    private final BatchingPolicy policy;

    BatchPlanner(BatchingPolicy policy) {
        this.policy = policy;
    }

    /**
     * @param queue live rows, oldest first
     * @param flush run whatever is there without waiting (draining for shutdown)
     */
    Plan plan(Collection<QueuedRow> queue, long now, boolean flush) {
        QueuedRow oldest = null;
        List<QueuedRow> batch = new ArrayList<>();
        int longest = 0;
        boolean full = false;
        int scanned = 0;
        for (QueuedRow row : queue) {
            if (scanned++ >= policy.reorderWindow()) {
                break;
            }
            if (oldest == null) {
                oldest = row;
                if (row.row().prebatched()) {
                    return new Plan.Run(List.of(row));
                }
            } else if (row.bucket() != oldest.bucket() || row.row().prebatched() || !paddingCompatible(row, batch)) {
                continue;
            }
            int newLongest = Math.max(longest, row.length());
            if (batch.size() == policy.maxBatchSize()
                    || (policy.maxBatchTokens() > 0
                            && !batch.isEmpty()
                            && (long) newLongest * (batch.size() + 1) > policy.maxBatchTokens())) {
                full = true;
                break;
            }
            batch.add(row);
            longest = newLongest;
        }
        if (oldest == null) {
            return new Plan.Idle();
        }
        full |= batch.size() == policy.maxBatchSize();
        long due = oldest.enqueuedNanos() + policy.maxQueueDelayNanos();
        if (full || flush || now - due >= 0) {
            return new Plan.Run(batch);
        }
        int preferred = largestPreferredAtMost(batch.size());
        if (preferred > 0) {
            return new Plan.Run(List.copyOf(batch.subList(0, preferred)));
        }
        return new Plan.Wait(due);
    }

    /** Whether the row joins the batch without padding an input that it or a row already in the batch keeps exact. */
    private static boolean paddingCompatible(QueuedRow row, List<QueuedRow> batch) {
        for (QueuedRow member : batch) {
            if (!row.row().paddingCompatible(member.row())) {
                return false;
            }
        }
        return true;
    }

    private int largestPreferredAtMost(int size) {
        int best = 0;
        for (int preferred : policy.preferredBatchSizes()) {
            if (preferred <= size) {
                best = preferred;
            }
        }
        return best;
    }
}
