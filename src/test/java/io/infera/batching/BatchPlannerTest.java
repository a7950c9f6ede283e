package io.infera.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.infera.runtime.Tensor;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batching decision with an injected clock: no threads, no sleeps. */
class BatchPlannerTest {

    private static final long MS = 1_000_000;
    private static final int[] BUCKETS = {16, 32, 64, 128};

    private static BatchingPolicy policy(int maxBatch, long delayMs, long maxTokens, int window, int... preferred) {
        return new BatchingPolicy(maxBatch, delayMs * MS, 1000, preferred, maxTokens, BUCKETS, window);
    }

    private final ArrayDeque<QueuedRow> queue = new ArrayDeque<>();

    private void enqueue(int length, long atMs, BatchingPolicy policy) {
        Row row = new Row(Map.of("x", Tensor.of(new long[length], length)), length);
        queue.add(new QueuedRow(new PendingRequest(1, Long.MAX_VALUE), 0, row, policy.bucketOf(length), atMs * MS));
    }

    private static List<Integer> lengths(BatchPlanner.Plan plan) {
        return ((BatchPlanner.Plan.Run) plan)
                .rows().stream().map(QueuedRow::length).toList();
    }

    @Test
    void emptyQueueIsIdle() {
        assertInstanceOf(BatchPlanner.Plan.Idle.class, new BatchPlanner(policy(8, 5, 0, 64)).plan(queue, 0, false));
    }

    @Test
    void waitsForTheOldestRowsDelayThenRunsWhatIsThere() {
        BatchingPolicy policy = policy(8, 5, 0, 64);
        BatchPlanner planner = new BatchPlanner(policy);
        enqueue(10, 0, policy);
        enqueue(12, 2, policy);
        BatchPlanner.Plan plan = planner.plan(queue, 3 * MS, false);
        assertEquals(new BatchPlanner.Plan.Wait(5 * MS), plan);
        assertEquals(List.of(10, 12), lengths(planner.plan(queue, 5 * MS, false)));
    }

    @Test
    void aFullBatchRunsAtOnce() {
        BatchingPolicy policy = policy(3, 100, 0, 64);
        for (int i = 0; i < 5; i++) {
            enqueue(8, 0, policy);
        }
        assertEquals(3, lengths(new BatchPlanner(policy).plan(queue, 0, false)).size());
    }

    @Test
    void zeroDelayRunsImmediately() {
        BatchingPolicy policy = policy(8, 0, 0, 64);
        enqueue(8, 7, policy);
        assertEquals(List.of(8), lengths(new BatchPlanner(policy).plan(queue, 7 * MS, false)));
    }

    @Test
    void onlyTheOldestRowsBucketJoinsItsBatch() {
        BatchingPolicy policy = policy(8, 0, 0, 64);
        enqueue(100, 0, policy); // bucket 128, oldest
        enqueue(10, 1, policy); // bucket 16
        enqueue(90, 2, policy); // bucket 128
        enqueue(12, 3, policy); // bucket 16
        BatchPlanner planner = new BatchPlanner(policy);
        assertEquals(List.of(100, 90), lengths(planner.plan(queue, 10 * MS, false)));
    }

    @Test
    void shortRowsOvertakeLongOnesOnlyInsideTheWindow() {
        BatchingPolicy policy = policy(8, 0, 0, 3);
        enqueue(10, 0, policy);
        enqueue(100, 1, policy);
        enqueue(120, 2, policy);
        enqueue(11, 3, policy); // same bucket as the oldest, but outside the window of 3
        assertEquals(List.of(10), lengths(new BatchPlanner(policy).plan(queue, 10 * MS, false)));
    }

    @Test
    void theTokenBudgetCapsLongestTimesRows() {
        BatchingPolicy policy = policy(16, 50, 256, 64);
        for (int i = 0; i < 6; i++) {
            enqueue(60, 0, policy); // bucket 64: 4 x 60 = 240 fits, 5 x 60 = 300 does not
        }
        BatchPlanner.Plan plan = new BatchPlanner(policy).plan(queue, 0, false);
        assertEquals(4, lengths(plan).size()); // full by budget: runs without waiting out the delay
    }

    @Test
    void aRowLongerThanTheBudgetStillRunsAlone() {
        BatchingPolicy policy = policy(16, 0, 64, 64);
        enqueue(500, 0, policy);
        enqueue(500, 0, policy);
        assertEquals(List.of(500), lengths(new BatchPlanner(policy).plan(queue, 0, false)));
    }

    @Test
    void preferredBatchSizesRunBeforeTheDelay() {
        BatchingPolicy policy = policy(16, 100, 0, 64, 4, 8);
        for (int i = 0; i < 6; i++) {
            enqueue(8, 0, policy);
        }
        assertEquals(4, lengths(new BatchPlanner(policy).plan(queue, MS, false)).size());
    }

    @Test
    void flushingRunsWithoutWaiting() {
        BatchingPolicy policy = policy(8, 1000, 0, 64);
        enqueue(8, 0, policy);
        assertEquals(List.of(8), lengths(new BatchPlanner(policy).plan(queue, 0, true)));
    }

    /** Ageing: however many short rows keep arriving, the long oldest row is in the next batch. */
    @Test
    void theOldestRowNeverStarves() {
        BatchingPolicy policy = policy(4, 0, 0, 64);
        BatchPlanner planner = new BatchPlanner(policy);
        enqueue(120, 0, policy);
        for (int i = 0; i < 50; i++) {
            enqueue(10, 1, policy);
        }
        assertEquals(List.of(120), lengths(planner.plan(queue, 2 * MS, false)));
    }

    @Test
    void bucketsBeyondTheLastAreOneBucket() {
        BatchingPolicy policy = policy(8, 0, 0, 64);
        assertEquals(16, policy.bucketOf(1));
        assertEquals(16, policy.bucketOf(16));
        assertEquals(32, policy.bucketOf(17));
        assertEquals(Integer.MAX_VALUE, policy.bucketOf(129));
        assertEquals(0, new BatchingPolicy(8, 0, 10, new int[0], 0, new int[0], 8).bucketOf(500));
    }
}
