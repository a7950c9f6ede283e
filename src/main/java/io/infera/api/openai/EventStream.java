package io.infera.api.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;

/**
 * Server-sent events on a chunked response, as OpenAI streams: one {@code data: <json>} event per
 * chunk and {@code data: [DONE]} at the end. Writes may come from the generation thread; Vert.x
 * hands them to the connection's own thread.
 */
final class EventStream {

    private final HttpServerResponse response;
    private final ObjectMapper json;

    EventStream(HttpServerResponse response, ObjectMapper json) {
        this.response = response;
        this.json = json;
    }

    void start() {
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
    }

    void send(ObjectNode event) {
        if (!response.closed() && !response.ended()) {
            try {
                response.write("data: " + json.writeValueAsString(event) + "\n\n");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    void done() {
        if (!response.closed() && !response.ended()) {
            response.end("data: [DONE]\n\n");
        }
    }
}
