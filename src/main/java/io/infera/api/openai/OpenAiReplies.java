package io.infera.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.api.JsonBody;
import io.infera.errors.Failures;
import io.infera.errors.InvalidInputException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;

/** What every OpenAI route does with the wire: reads the JSON body, writes a JSON answer or an error object. */
final class OpenAiReplies {

    private final ObjectMapper json;

    OpenAiReplies(ObjectMapper json) {
        this.json = json;
    }

    /** The request's JSON body; a body that is not JSON is refused as OpenAI refuses it. */
    JsonNode body(RoutingContext ctx) {
        try {
            return JsonBody.read(
                    json,
                    ctx.body().buffer() == null
                            ? new byte[0]
                            : ctx.body().buffer().getBytes());
        } catch (InvalidInputException e) {
            throw new OpenAiException(OpenAiError.invalid(null, e.getMessage()));
        }
    }

    /** The failure as OpenAI's error object, unless an event stream already answered (it sends errors as events). */
    void fail(HttpServerResponse response, Throwable failure) {
        if (response.headWritten()) {
            return;
        }
        OpenAiError error = OpenAiError.of(Failures.unwrap(failure));
        if (error.retryAfterSeconds() != null) {
            response.putHeader("Retry-After", Integer.toString(error.retryAfterSeconds()));
        }
        send(response, error.status(), error.toJson(json));
    }

    void send(HttpServerResponse response, int status, Object body) {
        if (response.closed() || response.ended() || response.headWritten()) {
            return;
        }
        try {
            response.setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(json.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
