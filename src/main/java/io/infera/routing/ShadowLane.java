package io.infera.routing;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Where shadow copies of requests run: behind the primary work, never in front of it. A copy is
 * handed over only once its primary has answered, waits in a short queue of its own, and runs on
 * one of a few lane threads, each running one copy at a time; so shadow work can take at most
 * those threads' share of the machine, and when copies arrive faster than the lane runs them
 * the newest are dropped (and counted) rather than queued without end.
 */
public final class ShadowLane implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ShadowLane.class);

    /** How long one copy may run before the lane moves on (its model's own deadline usually ends it first). */
    private static final long COPY_LIMIT_SECONDS = 60;

    private final BlockingQueue<Supplier<CompletableFuture<?>>> queue;
    private final Thread[] threads;
    private volatile boolean closed;

    /**
     * @param threads  copies that run at once
     * @param capacity copies that may wait; more are dropped
     */
    public ShadowLane(int threads, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.threads = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            this.threads[i] = Thread.ofPlatform()
                    .name("infera-shadow-" + i)
                    .daemon()
                    .priority(Thread.MIN_PRIORITY)
                    .start(this::drain);
        }
    }

    /**
     * Queues one copy: {@code copy} starts its model work and returns the future of its answer.
     *
     * @return false when the lane is full (or closed) and the copy was dropped
     */
    public boolean offer(Supplier<CompletableFuture<?>> copy) {
        return !closed && queue.offer(copy);
    }

    /** Copies waiting now. */
    public int waiting() {
        return queue.size();
    }

    private void drain() {
        while (!closed) {
            Supplier<CompletableFuture<?>> copy;
            try {
                copy = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (copy != null) {
                run(copy);
            }
        }
    }

    private static void run(Supplier<CompletableFuture<?>> copy) {
        try {
            copy.get().get(COPY_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // the copy's own completion handlers count its failure; the lane only moves on
            LOG.debugf("shadow copy ended with %s", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
        for (Thread thread : threads) {
            thread.interrupt();
        }
    }
}
