package io.infera.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.errors.BackendException;
import io.infera.errors.DeadlineExceededException;
import io.infera.errors.OverloadedException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.errors.ShuttingDownException;
import io.infera.runtime.Backend;
import io.infera.runtime.DataType;
import io.infera.runtime.Device;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The batcher over a fake backend that echoes each row's first value, and can be held or made to fail. */
class DynamicBatcherTest {

    /** Echo backend: output "y" = input "x" + 1000, batch for batch; records the batch sizes it ran. */
    static class EchoBackend implements Backend {
        final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile boolean fail;
        volatile boolean malformed;

        @Override
        public List<TensorSpec> inputs() {
            return List.of(new TensorSpec("x", DataType.INT64, new long[] {-1, -1}));
        }

        @Override
        public List<TensorSpec> outputs() {
            return List.of(new TensorSpec("y", DataType.INT64, new long[] {-1}));
        }

        @Override
        public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputs) {
            maxConcurrent.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                gate.await(10, TimeUnit.SECONDS);
                if (fail) {
                    throw new BackendException("boom", null);
                }
                Tensor x = inputs.get("x");
                int rows = x.dim(0);
                int width = x.dim(1);
                batchSizes.add(rows);
                long[] y = new long[malformed ? rows + 1 : rows];
                for (int r = 0; r < rows; r++) {
                    y[r] = x.longs()[r * width] + 1000;
                }
                return Map.of("y", Tensor.of(y, y.length));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
        }

        @Override
        public String runtimeName() {
            return "echo";
        }

        @Override
        public Device device() {
            return Device.CPU;
        }

        @Override
        public void close() {}
    }

    private static Row row(long value, int length) {
        long[] data = new long[length];
        data[0] = value;
        return new Row(Map.of("x", Tensor.of(data, length)), length);
    }

    private static BatchingPolicy policy(int maxBatch, long delayMs, int queue) {
        return new BatchingPolicy(maxBatch, delayMs * 1_000_000, queue, new int[0], 0, new int[] {16, 64}, 64);
    }

    private final List<DynamicBatcher> batchers = new ArrayList<>();

    private DynamicBatcher batcher(List<Backend> instances, BatchingPolicy policy) {
        DynamicBatcher b = new DynamicBatcher("test", instances, policy, Map.of(), BatchObserver.NONE);
        batchers.add(b);
        return b;
    }

    @AfterEach
    void close() {
        batchers.forEach(DynamicBatcher::close);
    }

    private static long value(Map<String, Tensor> output) {
        return output.get("y").longs()[0];
    }

    @Test
    void concurrentRequestsShareBatchesAndGetTheirOwnAnswers() throws Exception {
        EchoBackend backend = new EchoBackend();
        backend.gate = new CountDownLatch(1);
        DynamicBatcher batcher = batcher(List.of(backend), policy(8, 0, 100));
        // The first request occupies the only instance; the next ones queue and then share a batch.
        CompletableFuture<List<Map<String, Tensor>>> first = batcher.submit(List.of(row(0, 4)), Scheduler.NO_DEADLINE);
        awaitRunning(backend);
        List<CompletableFuture<List<Map<String, Tensor>>>> later = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            later.add(batcher.submit(List.of(row(i, 4), row(100 + i, 5)), Scheduler.NO_DEADLINE));
        }
        backend.gate.countDown();
        assertEquals(1000, value(first.get(5, TimeUnit.SECONDS).getFirst()));
        for (int i = 1; i <= 6; i++) {
            List<Map<String, Tensor>> out = later.get(i - 1).get(5, TimeUnit.SECONDS);
            assertEquals(1000 + i, value(out.get(0)));
            assertEquals(1100 + i, value(out.get(1)));
        }
        // 12 queued rows with max batch 8: one batch of 8 and one of 4 after the first.
        assertEquals(List.of(1, 8, 4), backend.batchSizes);
    }

    @Test
    void anInstanceRunsItsNextBatchWhileTheLastBatchsRequestsStillComplete() throws Exception {
        EchoBackend backend = new EchoBackend();
        DynamicBatcher batcher = batcher(List.of(backend), policy(8, 0, 100));
        CountDownLatch postprocessing = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        // the first request's continuation (post-processing, encoding) runs on the thread that completed it
        CompletableFuture<Long> first = batcher.submit(List.of(row(0, 2)), Scheduler.NO_DEADLINE)
                .thenApply(out -> {
                    postprocessing.countDown();
                    try {
                        released.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return value(out.getFirst());
                });
        assertTrue(postprocessing.await(5, TimeUnit.SECONDS));
        // the only instance is already free: the next request runs while the first one's continuation is held
        assertEquals(
                1001,
                value(batcher.submit(List.of(row(1, 2)), Scheduler.NO_DEADLINE)
                        .get(5, TimeUnit.SECONDS)
                        .getFirst()));
        released.countDown();
        assertEquals(1000, first.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aRequestsRowsMaySpanBatches() throws Exception {
        EchoBackend backend = new EchoBackend();
        DynamicBatcher batcher = batcher(List.of(backend), policy(2, 0, 100));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(row(i, 3));
        }
        List<Map<String, Tensor>> out =
                batcher.submit(rows, Scheduler.NO_DEADLINE).get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            assertEquals(1000 + i, value(out.get(i)));
        }
        assertTrue(backend.batchSizes.stream().allMatch(s -> s <= 2));
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        EchoBackend backend = new EchoBackend();
        backend.gate = new CountDownLatch(1);
        DynamicBatcher batcher = batcher(List.of(backend), policy(1, 0, 3));
        batcher.submit(List.of(row(0, 2)), Scheduler.NO_DEADLINE);
        awaitRunning(backend);
        batcher.submit(List.of(row(1, 2), row(2, 2)), Scheduler.NO_DEADLINE);
        batcher.admit(); // two of three queued: a request may still come in and be decoded
        batcher.submit(List.of(row(3, 2)), Scheduler.NO_DEADLINE);
        OverloadedException e = assertThrows(
                OverloadedException.class, () -> batcher.submit(List.of(row(4, 2)), Scheduler.NO_DEADLINE));
        assertEquals(1, e.retryAfterSeconds());
        // full: refused before decoding, with the same Retry-After
        assertEquals(1, assertThrows(OverloadedException.class, batcher::admit).retryAfterSeconds());
        assertThrows(
                PayloadTooLargeException.class,
                () -> batcher.submit(List.of(row(5, 2), row(6, 2), row(7, 2), row(8, 2)), Scheduler.NO_DEADLINE));
        backend.gate.countDown();
    }

    @Test
    void aRequestPastItsDeadlineIsFailedAndNeverRun() throws Exception {
        EchoBackend backend = new EchoBackend();
        backend.gate = new CountDownLatch(1);
        DynamicBatcher batcher = batcher(List.of(backend), policy(8, 0, 100));
        CompletableFuture<?> blocker = batcher.submit(List.of(row(0, 2)), Scheduler.NO_DEADLINE);
        awaitRunning(backend);
        CompletableFuture<List<Map<String, Tensor>>> late = batcher.submit(
                List.of(row(7, 2)), System.nanoTime() + Duration.ofMillis(50).toNanos());
        CompletionException e = assertThrows(CompletionException.class, late::join);
        assertInstanceOf(DeadlineExceededException.class, e.getCause());
        backend.gate.countDown();
        blocker.get(5, TimeUnit.SECONDS);
        CompletableFuture<?> after = batcher.submit(List.of(row(8, 2)), Scheduler.NO_DEADLINE);
        after.get(5, TimeUnit.SECONDS);
        // The expired row was dropped: the backend saw the blocker and the last request only.
        assertEquals(List.of(1, 1), backend.batchSizes);
    }

    @Test
    void aFailingBatchFailsEveryRequestInIt() throws Exception {
        EchoBackend backend = new EchoBackend();
        backend.gate = new CountDownLatch(1);
        DynamicBatcher batcher = batcher(List.of(backend), policy(8, 0, 100));
        CompletableFuture<?> first = batcher.submit(List.of(row(0, 2)), Scheduler.NO_DEADLINE);
        awaitRunning(backend);
        backend.fail = true;
        CompletableFuture<?> a = batcher.submit(List.of(row(1, 2)), Scheduler.NO_DEADLINE);
        CompletableFuture<?> b = batcher.submit(List.of(row(2, 2), row(3, 2)), Scheduler.NO_DEADLINE);
        backend.gate.countDown();
        for (CompletableFuture<?> f : List.of(first, a, b)) {
            CompletionException e = assertThrows(CompletionException.class, f::join);
            assertInstanceOf(BackendException.class, e.getCause());
        }
        backend.fail = false;
        assertEquals(
                1009,
                value(batcher.submit(List.of(row(9, 2)), Scheduler.NO_DEADLINE)
                        .get(5, TimeUnit.SECONDS)
                        .getFirst()));
    }

    @Test
    void malformedOutputsFailTheirBatchAsTheModelsFault() throws Exception {
        EchoBackend backend = new EchoBackend();
        backend.malformed = true;
        DynamicBatcher batcher = batcher(List.of(backend), policy(8, 0, 100));
        CompletionException e = assertThrows(
                CompletionException.class,
                () -> batcher.submit(List.of(row(1, 2), row(2, 2)), Scheduler.NO_DEADLINE)
                        .join());
        assertInstanceOf(BackendException.class, e.getCause());
        assertTrue(
                e.getCause().getMessage().contains("output y has shape"),
                e.getCause().getMessage());
        backend.malformed = false;
        assertEquals(
                1009,
                value(batcher.submit(List.of(row(9, 2)), Scheduler.NO_DEADLINE)
                        .get(5, TimeUnit.SECONDS)
                        .getFirst()));
    }

    /** A backend that never returns holds its own model's requests only; each gets its 504 on time. */
    @Test
    void aHangingBackendFailsOnlyItsOwnRequestsAtTheirDeadline() throws Exception {
        EchoBackend hung = new EchoBackend();
        hung.gate = new CountDownLatch(1);
        DynamicBatcher stuck = batcher(List.of(hung), policy(8, 0, 100));
        DynamicBatcher other = batcher(List.of(new EchoBackend()), policy(8, 0, 100));
        CompletableFuture<?> running = stuck.submit(List.of(row(1, 2)), System.nanoTime() + 200_000_000L);
        CompletableFuture<?> queued = stuck.submit(List.of(row(2, 2)), System.nanoTime() + 200_000_000L);
        for (CompletableFuture<?> f : List.of(running, queued)) {
            java.util.concurrent.ExecutionException e =
                    assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            assertInstanceOf(DeadlineExceededException.class, e.getCause());
        }
        assertEquals(
                1007,
                value(other.submit(List.of(row(7, 2)), Scheduler.NO_DEADLINE)
                        .get(5, TimeUnit.SECONDS)
                        .getFirst()));
        hung.gate.countDown();
    }

    @Test
    void instancesRunBatchesInParallel() throws Exception {
        EchoBackend one = new EchoBackend();
        EchoBackend two = new EchoBackend();
        CountDownLatch gate = new CountDownLatch(1);
        one.gate = gate;
        two.gate = gate;
        DynamicBatcher batcher = batcher(List.of(one, two), policy(1, 0, 100));
        CompletableFuture<?> a = batcher.submit(List.of(row(1, 2)), Scheduler.NO_DEADLINE);
        CompletableFuture<?> b = batcher.submit(List.of(row(2, 2)), Scheduler.NO_DEADLINE);
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (one.running.get() + two.running.get() < 2 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertEquals(2, one.running.get() + two.running.get());
        gate.countDown();
        a.get(5, TimeUnit.SECONDS);
        b.get(5, TimeUnit.SECONDS);
    }

    @Test
    void oneRequestsRowsSpreadOverEveryFreeInstance() throws Exception {
        EchoBackend one = new EchoBackend();
        EchoBackend two = new EchoBackend();
        CountDownLatch gate = new CountDownLatch(1);
        one.gate = gate;
        two.gate = gate;
        DynamicBatcher batcher = batcher(List.of(one, two), policy(1, 0, 100));
        CompletableFuture<?> both = batcher.submit(List.of(row(1, 2), row(2, 2)), Scheduler.NO_DEADLINE);
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (one.running.get() + two.running.get() < 2 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertEquals(2, one.running.get() + two.running.get(), "the second row waits for the first instance");
        gate.countDown();
        both.get(5, TimeUnit.SECONDS);
    }

    @Test
    void closingRunsWhatIsQueuedAndRefusesNewWork() throws Exception {
        EchoBackend backend = new EchoBackend();
        backend.gate = new CountDownLatch(1);
        DynamicBatcher batcher = batcher(List.of(backend), policy(1, 0, 100));
        List<CompletableFuture<List<Map<String, Tensor>>>> queued = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            queued.add(batcher.submit(List.of(row(i, 2)), Scheduler.NO_DEADLINE));
        }
        Thread closer = Thread.ofPlatform().start(() -> batcher.close(Duration.ofSeconds(5)));
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!isClosed(batcher) && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertThrows(ShuttingDownException.class, () -> batcher.submit(List.of(row(9, 2)), Scheduler.NO_DEADLINE));
        backend.gate.countDown();
        closer.join(5000);
        for (int i = 0; i < 4; i++) {
            assertEquals(1000 + i, value(queued.get(i).get(1, TimeUnit.SECONDS).getFirst()));
        }
    }

    @Test
    void workLeftAfterTheGraceIsFailedAsShuttingDown() throws Exception {
        EchoBackend backend = new EchoBackend();
        backend.gate = new CountDownLatch(1);
        DynamicBatcher batcher = batcher(List.of(backend), policy(1, 0, 100));
        batcher.submit(List.of(row(0, 2)), Scheduler.NO_DEADLINE);
        awaitRunning(backend);
        CompletableFuture<?> stuck = batcher.submit(List.of(row(1, 2)), Scheduler.NO_DEADLINE);
        batcher.close(Duration.ofMillis(100));
        CompletionException e = assertThrows(CompletionException.class, stuck::join);
        assertInstanceOf(ShuttingDownException.class, e.getCause());
        backend.gate.countDown();
    }

    @Test
    void rowsArePaddedWithTheDeclaredValue() throws Exception {
        List<Map<String, Tensor>> seen = Collections.synchronizedList(new ArrayList<>());
        EchoBackend backend = new EchoBackend() {
            @Override
            public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputs) {
                seen.add(inputs);
                return super.run(inputs, outputs);
            }
        };
        backend.gate = new CountDownLatch(1);
        DynamicBatcher batcher =
                new DynamicBatcher("pad", List.of(backend), policy(8, 0, 100), Map.of("x", 7L), BatchObserver.NONE);
        batchers.add(batcher);
        batcher.submit(List.of(row(0, 2)), Scheduler.NO_DEADLINE);
        awaitRunning(backend);
        CompletableFuture<?> a = batcher.submit(List.of(row(1, 2)), Scheduler.NO_DEADLINE);
        CompletableFuture<?> b = batcher.submit(List.of(row(2, 4)), Scheduler.NO_DEADLINE);
        backend.gate.countDown();
        a.get(5, TimeUnit.SECONDS);
        b.get(5, TimeUnit.SECONDS);
        assertArrayEquals(
                new long[] {1, 0, 7, 7, 2, 0, 0, 0}, seen.get(1).get("x").longs());
    }

    private static boolean isClosed(DynamicBatcher batcher) {
        try {
            batcher.submit(List.of(), Scheduler.NO_DEADLINE);
            return false;
        } catch (ShuttingDownException e) {
            return true;
        }
    }

    private static void awaitRunning(EchoBackend backend) {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (backend.running.get() == 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertEquals(1, backend.running.get());
    }
}
