package io.infera.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every request gets an id: the client's {@code X-Request-Id} when it is a plain token, else a new
 * UUID. It is echoed in the response header, put in every problem document ({@code request_id})
 * and in the log lines written while the request is handled (MDC key {@code request_id}), so that
 * a client's report and the server's log meet.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "request_id";

    /** Before every other route handler. */
    private static final int ORDER = -10;
    /** What a client may choose as its id: nothing that could forge a log line or a header. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(RequestIds::assign);
    }

    private static void assign(RoutingContext ctx) {
        String id = ctx.request().getHeader(HEADER);
        if (id == null || !SAFE.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
            ctx.request().headers().set(HEADER, id);
        }
        ctx.response().putHeader(HEADER, id);
        MDC.put(MDC_KEY, id);
        ctx.next();
    }

    /** Problem documents made by the exception mappers carry the id of the request they answer. */
    @ServerResponseFilter
    public void stamp(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem && problem.requestId() == null) {
            response.setEntity(problem.withRequestId(request.getHeaderString(HEADER)));
        }
    }
}
