package io.infera.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShadowLaneTest {

    @Test
    void aSlowCopyNeitherBlocksTheOffererNorQueuesWithoutEnd() throws Exception {
        CompletableFuture<Void> slow = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        try (ShadowLane lane = new ShadowLane(1, 2)) {
            assertTrue(lane.offer(() -> {
                started.countDown();
                return slow; // a shadow version that takes its time
            }));
            assertTrue(started.await(5, TimeUnit.SECONDS));
            assertTrue(lane.offer(() -> CompletableFuture.runAsync(ran::incrementAndGet)));
            assertTrue(lane.offer(() -> CompletableFuture.runAsync(ran::incrementAndGet)));
            assertFalse(lane.offer(() -> CompletableFuture.runAsync(ran::incrementAndGet)), "a full lane drops");
            assertEquals(2, lane.waiting());
            assertEquals(0, ran.get(), "one copy at a time: the others wait for the slow one");
            slow.complete(null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ran.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2, ran.get());
        }
    }
}
