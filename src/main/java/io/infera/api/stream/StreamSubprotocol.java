package io.infera.api.stream;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The WebSocket subprotocol the server speaks on {@code /v1/audio/stream}. A browser's WebSocket
 * cannot send headers, so it presents an API key as a second subprotocol, {@code
 * infera-api-key.<key>} ({@link io.infera.api.ApiKeys} reads it); the server answers with {@value #NAME}, which the
 * client offers first, since a browser drops a connection whose server selects none of the
 * protocols it offered.
 */
@ApplicationScoped
public class StreamSubprotocol implements HttpServerOptionsCustomizer {

    public static final String NAME = "infera";

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setWebSocketSubProtocols(List.of(NAME));
    }
}
