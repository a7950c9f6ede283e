package io.infera.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body whose Content-Length is over {@code quarkus.http.limits.max-body-size} with a
 * problem document, before a byte of it is read. Quarkus' own check (which runs just after this
 * one, and also counts chunked bodies as they arrive) answers an empty 413; clients deserve to
 * know which limit they hit.
 */
@ApplicationScoped
public class BodySizeLimit {

    /** Just before Quarkus' upload limit handler (RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT, -2). */
    private static final int ORDER = -3;

    private final long maxBody;
    private final ObjectMapper json;
    private final Problem tooLarge;

    BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody, ObjectMapper json) {
        this.maxBody = maxBody.asLongValue();
        this.json = json;
        this.tooLarge = ErrorKind.PAYLOAD_TOO_LARGE
                .problem("the body is over " + this.maxBody + " bytes (quarkus.http.limits.max-body-size)")
                .withField("body");
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && isOver(length)) {
            // the body is never read: close the connection rather than drain it
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            RouteProblems.send(ctx, json, tooLarge);
            return;
        }
        ctx.next();
    }

    private boolean isOver(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBody;
        } catch (NumberFormatException e) {
            return false; // Vert.x' HTTP codec answers 400 to a malformed Content-Length itself
        }
    }
}
