package io.infera.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.errors.DeadlineExceededException;
import io.infera.errors.OverloadedException;
import io.infera.registry.ServedModel;
import io.infera.testing.RecordingBackend;
import io.infera.testing.TestModels;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generation loop on the tiny GPT-2, its backend calls recorded: a prompt runs once and each
 * later step feeds one token per sequence (the cache carries the rest); a sequence that arrives
 * while another is running joins its steps and both answer as they would alone; cancelled and
 * expired sequences stop; a full queue refuses.
 */
class ContinuousBatcherTest {

    private static ServedModel model;
    private static final int[] HELLO_WORLD = {15496, 995};

    /** The backend's calls as [batch, new tokens, past length]. */
    private static List<long[]> steps(RecordingBackend backend) {
        return backend.calls().stream()
                .map(c -> new long[] {c.get("input_ids")[0], c.get("input_ids")[1], c.get("past_key_values.0.key")[2]})
                .toList();
    }

    @BeforeAll
    static void load() {
        model = TestModels.load("tiny-gpt2");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static GenerationSettings greedy(int tokens) {
        return new GenerationSettings(
                tokens, false, 1, 0, 1, OptionalLong.empty(), new int[] {50256}, LogitsProcessors.NONE);
    }

    private static ContinuousBatcher batcher(RecordingBackend backend, GenerationLimits limits) throws Exception {
        return new ContinuousBatcher("test", CausalLm.of(backend), limits, GenerationObserver.NONE);
    }

    @Test
    void thePromptRunsOnceThenOneTokenPerStep() throws Exception {
        RecordingBackend backend = new RecordingBackend(model.backend());
        try (ContinuousBatcher batcher = batcher(backend, new GenerationLimits(4, 8, 1024))) {
            Generated g = batcher.submit(HELLO_WORLD, greedy(5), TokenListener.NONE, Long.MAX_VALUE)
                    .get(30, TimeUnit.SECONDS);
            assertEquals(5, g.tokens().length);
            assertEquals(FinishReason.LENGTH, g.finishReason());
            List<long[]> calls = steps(backend);
            assertEquals(5, calls.size());
            assertArrayEquals(new long[] {1, 2, 0}, calls.getFirst());
            for (int step = 1; step < 5; step++) {
                assertArrayEquals(new long[] {1, 1, 1 + step}, calls.get(step), "step " + step);
            }
        }
    }

    @Test
    void aLaterSequenceJoinsTheRunningStepsAndBothAnswerAsAlone() throws Exception {
        int[] fox = {464, 2068, 7586, 21831};
        RecordingBackend alone = new RecordingBackend(model.backend());
        int[] aloneA;
        int[] aloneB;
        try (ContinuousBatcher batcher = batcher(alone, new GenerationLimits(4, 8, 1024))) {
            aloneA = batcher.submit(HELLO_WORLD, greedy(20), TokenListener.NONE, Long.MAX_VALUE)
                    .get(30, TimeUnit.SECONDS)
                    .tokens();
            aloneB = batcher.submit(fox, greedy(8), TokenListener.NONE, Long.MAX_VALUE)
                    .get(30, TimeUnit.SECONDS)
                    .tokens();
        }
        RecordingBackend shared = new RecordingBackend(model.backend());
        try (ContinuousBatcher batcher = batcher(shared, new GenerationLimits(4, 8, 1024))) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch joined = new CountDownLatch(1);
            CompletableFuture<Generated> a = batcher.submit(
                    HELLO_WORLD,
                    greedy(20),
                    tokens -> {
                        if (tokens.length == 3) { // hold the loop after A's third token until B is queued
                            started.countDown();
                            try {
                                joined.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return false;
                    },
                    Long.MAX_VALUE);
            assertTrue(started.await(30, TimeUnit.SECONDS));
            CompletableFuture<Generated> b = batcher.submit(fox, greedy(8), TokenListener.NONE, Long.MAX_VALUE);
            joined.countDown();
            assertArrayEquals(aloneA, a.get(30, TimeUnit.SECONDS).tokens());
            assertArrayEquals(aloneB, b.get(30, TimeUnit.SECONDS).tokens());
        }
        assertTrue(steps(shared).stream().anyMatch(c -> c[0] == 2 && c[1] == 1), "a decode step ran both sequences");
        assertTrue(
                shared.calls().size() < alone.calls().size(),
                shared.calls().size() + " calls shared vs " + alone.calls().size() + " alone");
    }

    @Test
    void aCancelledSequenceStopsAtTheNextStep() throws Exception {
        RecordingBackend backend = new RecordingBackend(model.backend());
        try (ContinuousBatcher batcher = batcher(backend, new GenerationLimits(4, 8, 1024))) {
            CompletableFuture<Generated>[] self = new CompletableFuture[1];
            CountDownLatch submitted = new CountDownLatch(1);
            self[0] = batcher.submit(
                    HELLO_WORLD,
                    greedy(100),
                    tokens -> {
                        try {
                            submitted.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        if (tokens.length == 3) {
                            self[0].cancel(false); // the client went away
                        }
                        return false;
                    },
                    Long.MAX_VALUE);
            submitted.countDown();
            assertThrows(java.util.concurrent.CancellationException.class, () -> self[0].get(30, TimeUnit.SECONDS));
            // finish another sequence: the loop has moved on, the cancelled one ran no further
            batcher.submit(HELLO_WORLD, greedy(1), TokenListener.NONE, Long.MAX_VALUE)
                    .get(30, TimeUnit.SECONDS);
            assertTrue(backend.calls().size() <= 5, backend.calls().size() + " calls");
        }
    }

    @Test
    void anExpiredSequenceFailsAndAFullQueueRefuses() throws Exception {
        RecordingBackend backend = new RecordingBackend(model.backend());
        try (ContinuousBatcher batcher = batcher(backend, new GenerationLimits(1, 1, 1024))) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(1);
            CompletableFuture<Generated> holding = batcher.submit(
                    HELLO_WORLD,
                    greedy(3),
                    tokens -> {
                        running.countDown();
                        try {
                            release.await(); // keeps the loop busy with this sequence
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return false;
                    },
                    Long.MAX_VALUE);
            assertTrue(running.await(30, TimeUnit.SECONDS)); // it left the queue: one place is free
            batcher.admit();
            CompletableFuture<Generated> expiring =
                    batcher.submit(HELLO_WORLD, greedy(3), TokenListener.NONE, System.nanoTime());
            assertThrows(
                    OverloadedException.class,
                    () -> batcher.submit(HELLO_WORLD, greedy(3), TokenListener.NONE, Long.MAX_VALUE));
            // a full queue refuses at admission too, before a request is tokenized
            assertThrows(OverloadedException.class, batcher::admit);
            release.countDown();
            holding.get(30, TimeUnit.SECONDS);
            ExecutionException e = assertThrows(ExecutionException.class, () -> expiring.get(30, TimeUnit.SECONDS));
            assertInstanceOf(DeadlineExceededException.class, e.getCause());
        }
    }
}
