package io.infera.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** Problem answers from Vert.x route handlers, which run before JAX-RS and its exception mappers. */
public final class RouteProblems {

    private RouteProblems() {}

    /** Ends the exchange with {@code problem} (request id added); the caller adds its own headers first. */
    public static void send(RoutingContext ctx, ObjectMapper json, Problem problem) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(problem.withRequestId(ctx.request().getHeader(RequestIds.HEADER)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document always serialises", e);
        }
        ctx.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Buffer.buffer(body));
    }
}
