package io.infera.server;

import io.infera.config.InferaConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The threads that decode and tokenize requests. Request handlers run on the HTTP event loop and
 * never block: they hand preprocessing to these threads and the model call to the batcher, and
 * answer when the batcher's future completes, so no thread waits per request in flight.
 */
@ApplicationScoped
public class RequestWorkers {

    private final ExecutorService pool;

    RequestWorkers(InferaConfig config) {
        int threads = config.preprocessThreads() > 0
                ? config.preprocessThreads()
                : Runtime.getRuntime().availableProcessors();
        this.pool = Executors.newFixedThreadPool(
                threads,
                Thread.ofPlatform().name("infera-preprocess-", 0).daemon().factory());
    }

    /** Runs {@code work} on a worker and flattens the future it returns. */
    public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> work) {
        return CompletableFuture.supplyAsync(work, pool).thenCompose(f -> f);
    }

    void stop(@Observes ShutdownEvent event) {
        pool.shutdown();
    }
}
