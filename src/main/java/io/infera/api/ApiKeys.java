package io.infera.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.config.InferaConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Optional API keys for the inference and model routes ({@code /v1/*}, {@code /v2/models/*}):
 * with {@code infera.auth.api-keys} set, a request must present one as {@code Authorization:
 * Bearer <key>} (what OpenAI clients send) or {@code X-API-Key} (a browser's WebSocket, which
 * cannot send headers, as the subprotocol {@code infera-api-key.<key>}), else 401. Health, metrics,
 * OpenAPI and the server metadata stay open for probes and scrapers; the management routes
 * ({@code /v2/repository}) have a token of their own.
 */
@ApplicationScoped
public class ApiKeys {

    public static final String HEADER = "X-API-Key";

    /** The WebSocket subprotocol that carries a key: this prefix, then the key. */
    public static final String SUBPROTOCOL_PREFIX = "infera-api-key.";

    /** After the request id, before the body size check: an unknown client learns nothing more. */
    private static final int ORDER = -5;

    private final Credentials keys;
    private final ObjectMapper json;

    ApiKeys(InferaConfig config, ObjectMapper json) {
        this.keys = new Credentials(config.auth().apiKeys().orElse(List.of()));
        this.json = json;
    }

    void register(@Observes Router router) {
        if (!keys.isEmpty()) {
            router.route().order(ORDER).handler(this::check);
        }
    }

    /** The routes a key guards. */
    static boolean guarded(String path) {
        return path.startsWith("/v1/") || path.startsWith("/v2/models");
    }

    /** A browser's WebSocket presents its key as the subprotocol infera-api-key.KEY (it cannot send headers). */
    private static String subprotocolKey(String protocols) {
        if (protocols == null) {
            return null;
        }
        for (String protocol : protocols.split(",")) {
            String offered = protocol.strip();
            if (offered.startsWith(SUBPROTOCOL_PREFIX)) {
                return offered.substring(SUBPROTOCOL_PREFIX.length());
            }
        }
        return null;
    }

    private void check(RoutingContext ctx) {
        if (!guarded(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        String bearer = Credentials.bearer(ctx.request().getHeader("Authorization"));
        String presented = bearer != null ? bearer : ctx.request().getHeader(HEADER);
        if (presented == null) {
            presented = subprotocolKey(ctx.request().getHeader("Sec-WebSocket-Protocol"));
        }
        if (keys.accepts(presented)) {
            ctx.next();
            return;
        }
        ctx.response()
                .putHeader(
                        ErrorKind.UNAUTHORIZED.header()[0],
                        ErrorKind.UNAUTHORIZED.header()[1]);
        RouteProblems.send(
                ctx,
                json,
                ErrorKind.UNAUTHORIZED.problem(
                        presented == null
                                ? "this route needs an API key: Authorization: Bearer <key> or " + HEADER + ": <key>"
                                : "the API key is not valid"));
    }
}
