package io.infera.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.health.ServerReadiness;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Once the server drains for shutdown (after the readiness delay), every new request but the
 * health probes and the metrics is answered 503 with the connection closed, before anything is
 * read or queued; the work already in flight finishes. Quarkus' own graceful shutdown goes on
 * serving new HTTP/1.1 requests while it waits, which would queue new work behind the drain.
 */
@ApplicationScoped
public class DrainGate {

    /** First of Infera's route handlers: before the request id, the body limit and the API keys. */
    private static final int ORDER = -10;

    private final ServerReadiness readiness;
    private final ObjectMapper json;
    private final Problem shuttingDown = ErrorKind.SHUTTING_DOWN.problem(
            "the server is shutting down and takes no new requests; send them to another instance");

    DrainGate(ServerReadiness readiness, ObjectMapper json) {
        this.readiness = readiness;
        this.json = json;
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        if (readiness.refusing() && !probe(ctx.normalizedPath())) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            RouteProblems.send(ctx, json, shuttingDown);
            return;
        }
        ctx.next();
    }

    /** Health probes and metrics answer to the end: they report the drain. */
    private static boolean probe(String path) {
        return path.startsWith("/q/health") || path.startsWith("/v2/health") || path.equals("/q/metrics");
    }
}
