package io.infera.api;

import io.infera.errors.Failures;
import io.infera.metrics.InferaMetrics;
import io.infera.registry.ModelRepository;
import io.infera.registry.ServedModel;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts and times one finished request on any inference route ({@code infera_requests_total},
 * {@code infera_request_duration_seconds}), with the outcome read from how it failed, if it did.
 */
@ApplicationScoped
public class RequestMeter {

    /** The task tag of a request that never reached a model with a task. */
    public static final String NO_TASK = "none";

    private final InferaMetrics metrics;
    private final ModelRepository repository;

    RequestMeter(InferaMetrics metrics, ModelRepository repository) {
        this.metrics = metrics;
        this.repository = repository;
    }

    /** A request arrived: counted in flight until {@link #finished}. @return its start, for {@code finished} */
    public long started() {
        metrics.inFlight(1);
        return System.nanoTime();
    }

    /** A request's versions: the one that answers it (by a pin, the split or by default) and the shadow copied to, if any. */
    void routed(ServedModel model, String how, ServedModel shadow) {
        metrics.routed(model.name(), model.version(), how);
        if (shadow != null) {
            metrics.routed(shadow.name(), shadow.version(), "shadow");
        }
    }

    /** The version that answered a request is done with it; timed from its admission. @param error null on success */
    void answeredBy(ServedModel model, long startNanos, Throwable error) {
        String outcome = error == null
                ? Outcome.SUCCESS.tag()
                : Outcome.of(Failures.unwrap(error)).tag();
        metrics.versionRequest(model.name(), model.version(), outcome, System.nanoTime() - startNanos);
    }

    /** @param error null when the request succeeded */
    public void finished(String model, String task, long startNanos, Throwable error) {
        metrics.inFlight(-1);
        String outcome =
                error == null ? Outcome.SUCCESS.tag() : Outcome.of(error).tag();
        // A name the client made up must not become a series of its own.
        String modelTag = error == null ? model : ModelTag.of(model, repository);
        metrics.request(modelTag, task, outcome, System.nanoTime() - startNanos);
    }
}
