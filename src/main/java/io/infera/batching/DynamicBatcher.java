package io.infera.batching;

import io.infera.errors.DeadlineExceededException;
import io.infera.errors.OverloadedException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.errors.ShuttingDownException;
import io.infera.runtime.Backend;
import io.infera.runtime.Tensor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Batches rows from concurrent requests into backend calls. The model's runner threads (two per
 * backend instance) take turns: a runner holding a free instance plans the next batch (so that
 * under load rows accumulate into larger batches while every instance is busy), runs it on that
 * instance, and frees the instance as soon as its outputs are out; it then completes the batch's
 * requests (their post-processing and answer encoding) while the other runner takes the instance
 * for the next batch. The thread that plans a batch is the one that runs it: no hand-off between a
 * planner and a runner on the way of every request.
 *
 * <p>The queue is bounded in rows: a request that does not fit is refused at once (429), so memory
 * stays bounded. A request whose deadline passes while it waits is failed (504) and its rows are
 * never run. {@link #close(Duration)} stops intake and runs what is queued within a grace period.
 */
public final class DynamicBatcher implements Scheduler {

    private static final Logger LOG = Logger.getLogger(DynamicBatcher.class);
    private static final long RUNNERS_STOP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final String name;
    private final BatchingPolicy policy;
    private final BatchPlanner planner;
    private final Map<String, Number> padValues;
    private final BatchObserver observer;
    private final LongSupplier clock;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition drained = lock.newCondition();
    private final ArrayDeque<QueuedRow> queue = new ArrayDeque<>();
    private final BlockingQueue<Backend> idle = new LinkedBlockingQueue<>();
    private final ExecutorService runners;
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean closed;

    public DynamicBatcher(
            String name,
            List<Backend> instances,
            BatchingPolicy policy,
            Map<String, Number> padValues,
            BatchObserver observer) {
        this(name, instances, policy, padValues, observer, System::nanoTime);
    }

    DynamicBatcher(
            String name,
            List<Backend> instances,
            BatchingPolicy policy,
            Map<String, Number> padValues,
            BatchObserver observer,
            LongSupplier clock) {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("a batcher needs at least one backend instance");
        }
        this.name = name;
        this.policy = policy;
        this.planner = new BatchPlanner(policy);
        this.padValues = Map.copyOf(padValues);
        this.observer = observer;
        this.clock = clock;
        this.idle.addAll(instances);
        // twice the instances: a runner still completing its requests never holds up the next batch
        int runnerCount = 2 * instances.size();
        this.runners = Executors.newFixedThreadPool(
                runnerCount,
                Thread.ofPlatform().name("infera-run-" + name + "-", 0).daemon().factory());
        for (int i = 0; i < runnerCount; i++) {
            runners.execute(this::serve);
        }
        runners.shutdown(); // the runners above run until close; nothing else is ever submitted
    }

    @Override
    public CompletableFuture<List<Map<String, Tensor>>> submit(List<Row> rows, long deadlineNanos) {
        if (rows.size() > policy.maxQueueSize()) {
            throw new PayloadTooLargeException(
                    "inputs",
                    "the request needs " + rows.size() + " model rows; model '" + name + "' queues at most "
                            + policy.maxQueueSize());
        }
        if (closed) {
            throw new ShuttingDownException("model '" + name + "' is shutting down");
        }
        PendingRequest request = new PendingRequest(rows.size(), deadlineNanos);
        if (rows.isEmpty()) {
            request.future().complete(List.of());
            return request.future();
        }
        lock.lock();
        try {
            if (closed) {
                throw new ShuttingDownException("model '" + name + "' is shutting down");
            }
            if (queue.size() + rows.size() > policy.maxQueueSize()) {
                observer.rejected(rows.size());
                throw new OverloadedException(
                        "model '" + name + "' has " + queue.size() + " rows queued (limit " + policy.maxQueueSize()
                                + ")",
                        1);
            }
            long now = clock.getAsLong();
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                // An unpadded row's bucket is its exact length, negated so that it never meets a configured bucket.
                int bucket = row.unpadded() ? -row.length() : policy.bucketOf(row.length());
                queue.addLast(new QueuedRow(request, i, row, bucket, now));
            }
            changed.signal();
        } finally {
            lock.unlock();
        }
        expireAt(request, deadlineNanos);
        request.future().whenComplete((result, error) -> {
            if (error != null) {
                purge(request);
            }
        });
        return request.future();
    }

    /**
     * Takes the rows of a request that ended early (cancelled because its client went away, or
     * past its deadline) out of the queue at once, rather than when an instance is next free.
     */
    private void purge(PendingRequest request) {
        if (lock.isHeldByCurrentThread()) {
            return; // failed by dropExpired, which removes its rows itself
        }
        lock.lock();
        try {
            int before = queue.size();
            queue.removeIf(row -> row.request() == request);
            if (queue.size() < before) {
                observer.expired(before - queue.size());
                changed.signal();
                if (queue.isEmpty()) {
                    drained.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The client hears of a passed deadline at the deadline, even while every instance is busy;
     * rows still queued are then dropped unrun.
     */
    private void expireAt(PendingRequest request, long deadlineNanos) {
        if (deadlineNanos == Long.MAX_VALUE) {
            return;
        }
        long delay = Math.max(0, deadlineNanos - clock.getAsLong());
        CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS).execute(() -> {
            if (!request.isDone()) {
                request.fail(new DeadlineExceededException(
                        "the request's deadline passed before model '" + name + "' answered it"));
            }
        });
    }

    /**
     * Refuses a request at once when the queue is already full, before it is decoded or tokenized:
     * under a burst, a rejection then costs a read of the queue's size instead of a decode that
     * {@link #submit} would throw away. A request let through may still be refused by submit.
     *
     * @throws OverloadedException when no row fits in the queue now
     */
    @Override
    public void admit() {
        if (queue.size() >= policy.maxQueueSize()) {
            observer.rejected(1);
            throw new OverloadedException(
                    "model '" + name + "' has " + policy.maxQueueSize() + " rows queued (its limit)", 1);
        }
    }

    /** Rows waiting, for the queue-depth gauge. */
    public int queueDepth() {
        return queue.size();
    }

    public BatchingPolicy policy() {
        return policy;
    }

    /**
     * One runner's loop: take a free instance, wait for a batch to be due, run it. Once closed and
     * drained, a runner hands its instance to the next runner waiting for one and stops, so every
     * runner stops.
     */
    private void serve() {
        try {
            while (true) {
                Backend instance = idle.take();
                List<QueuedRow> batch = nextBatch();
                if (batch == null) {
                    idle.put(instance);
                    return;
                }
                running.incrementAndGet();
                try {
                    run(instance, batch);
                } finally {
                    running.decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until a batch is due; null once closed and drained. */
    private List<QueuedRow> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                long now = clock.getAsLong();
                dropExpired(now);
                if (closed && queue.isEmpty()) {
                    drained.signalAll();
                    return null;
                }
                switch (planner.plan(queue, now, closed)) {
                    case BatchPlanner.Plan.Run run -> {
                        queue.removeAll(run.rows());
                        if (queue.isEmpty()) {
                            drained.signalAll();
                        } else {
                            changed.signal(); // rows left over: a runner holding another free instance plans them
                        }
                        return run.rows();
                    }
                    case BatchPlanner.Plan.Wait wait -> changed.awaitNanos(Math.max(1, wait.untilNanos() - now));
                    case BatchPlanner.Plan.Idle idleQueue -> changed.await();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Fails requests whose deadline passed and removes rows of requests already finished. */
    private void dropExpired(long now) {
        int expired = 0;
        for (Iterator<QueuedRow> it = queue.iterator(); it.hasNext(); ) {
            QueuedRow row = it.next();
            if (!row.abandoned() && now - row.request().deadlineNanos() >= 0) {
                row.request()
                        .fail(new DeadlineExceededException("the request's deadline passed after "
                                + Duration.ofNanos(now - row.enqueuedNanos()).toMillis() + " ms in model '" + name
                                + "''s queue"));
            }
            if (row.abandoned()) {
                it.remove();
                expired++;
            }
        }
        if (expired > 0) {
            observer.expired(expired);
        }
    }

    /** Runs a batch on an instance, frees the instance, then completes the batch's requests. */
    private void run(Backend backend, List<QueuedRow> batch) {
        List<Map<String, Tensor>> split;
        try {
            split = batch.getFirst().row().prebatched()
                    ? List.of(runWhole(backend, batch.getFirst()))
                    : runRows(backend, batch);
        } catch (RuntimeException e) {
            idle.add(backend);
            // A failing batch fails every request waiting on it, each exactly once.
            for (QueuedRow row : batch) {
                row.request().fail(e);
            }
            return;
        }
        idle.add(backend);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).request().complete(batch.get(i).index(), split.get(i));
        }
    }

    private List<Map<String, Tensor>> runRows(Backend backend, List<QueuedRow> batch) {
        long start = clock.getAsLong();
        int longest = 0;
        long realTokens = 0;
        List<Map<String, Tensor>> tensors = new ArrayList<>(batch.size());
        for (QueuedRow row : batch) {
            observer.dequeued(start - row.enqueuedNanos());
            tensors.add(row.row().tensors());
            longest = Math.max(longest, row.length());
            realTokens += row.length();
        }
        // stopped once every row's deadline has passed: nobody waits for the answer any more
        long latest = batch.stream()
                .mapToLong(row -> row.request().deadlineNanos())
                .max()
                .orElse(Long.MAX_VALUE);
        Map<String, Tensor> outputs = backend.run(BatchCollator.collate(tensors, padValues), List.of(), latest);
        List<Map<String, Tensor>> split = BatchCollator.split(outputs, batch.size());
        observer.batch(batch.size(), realTokens, (long) longest * batch.size(), clock.getAsLong() - start);
        return split;
    }

    private Map<String, Tensor> runWhole(Backend backend, QueuedRow row) {
        long start = clock.getAsLong();
        observer.dequeued(start - row.enqueuedNanos());
        Map<String, Tensor> outputs =
                backend.run(row.row().tensors(), List.of(), row.request().deadlineNanos());
        observer.batch(1, 1, 1, clock.getAsLong() - start);
        return outputs;
    }

    /**
     * Stops taking requests and runs what is queued, for at most {@code grace}; whatever is still
     * queued then is failed as shutting down.
     */
    public void close(Duration grace) {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        awaitDrained(deadline);
        lock.lock();
        try {
            if (!queue.isEmpty()) {
                LOG.warnf(
                        "model %s: %d queued rows not run within the %d ms shutdown grace",
                        name, queue.size(), grace.toMillis());
            }
            for (QueuedRow row : queue) {
                row.request().fail(new ShuttingDownException("model '" + name + "' shut down before the request ran"));
            }
            queue.clear();
            changed.signalAll(); // runners waiting for a batch now find none and stop
        } finally {
            lock.unlock();
        }
        // Batches already running finish before the caller frees the backends: freeing a session
        // that a native run still uses would crash the process.
        boolean interrupted = false;
        while (!runners.isTerminated()) {
            try {
                // at least a few milliseconds: idle runners need that long to pass the instances along and stop
                runners.awaitTermination(
                        Math.max(RUNNERS_STOP_NANOS, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (System.nanoTime() - deadline >= 0 && running.get() > 0) {
                    LOG.warnf("model %s: a batch still runs after the shutdown grace; waiting for it", name);
                    deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the queue is empty or the deadline passes (the runners drain it after close). */
    private void awaitDrained(long deadlineNanos) {
        boolean interrupted = false;
        lock.lock();
        try {
            while (!queue.isEmpty() && deadlineNanos - System.nanoTime() > 0) {
                try {
                    drained.awaitNanos(deadlineNanos - System.nanoTime());
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
