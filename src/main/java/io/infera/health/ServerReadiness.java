package io.infera.health;

import io.infera.config.InferaConfig;
import io.infera.registry.ModelRepository;
import io.infera.registry.ModelState;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether the server takes traffic: it is not shutting down and every model folder has finished
 * loading (READY or FAILED);
 * with {@code infera.strict-readiness} a FAILED model also keeps it unready. The one answer for
 * {@code /q/health/ready} and {@code /v2/health/ready}.
 */
@ApplicationScoped
public class ServerReadiness {

    private final ModelRepository repository;
    private final InferaConfig config;
    private volatile boolean shuttingDown;
    private volatile boolean refusing;

    ServerReadiness(ModelRepository repository, InferaConfig config) {
        this.repository = repository;
        this.config = config;
    }

    /** From now on the server reports unready: it is draining for shutdown. */
    public void shuttingDown() {
        shuttingDown = true;
    }

    /**
     * From now on new requests are refused (after the readiness delay): Quarkus itself goes on
     * serving new HTTP/1.1 requests while it waits for those in flight, which would queue new work
     * behind the drain.
     */
    public void refuseNewRequests() {
        shuttingDown = true;
        refusing = true;
    }

    /** Whether new requests are refused: the server is draining for shutdown. */
    public boolean refusing() {
        return refusing;
    }

    public boolean ready() {
        if (shuttingDown || repository.loading()) {
            return false;
        }
        return !config.strictReadiness()
                || repository.statuses().stream().noneMatch(s -> s.state() == ModelState.FAILED);
    }
}
