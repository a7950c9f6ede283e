package io.infera.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.infera.errors.InvalidInputException;
import io.infera.routing.RoutingKey;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.concurrent.Future;

/**
 * The client's side of one request: the headers that steer which model version answers it (a pin,
 * a routing key), the response header that says which version did, and the connection, to stop
 * the request's work when the client goes away. The close event is delivered on the request's
 * event loop; watching for it from another thread could miss it (the client closes between the
 * check and the registration), so the watch is set up on that event loop too.
 */
public final class ClientConnection {

    /** The request header that pins a version, and the response header that names the version that answered. */
    public static final String VERSION_HEADER = "X-Model-Version";

    /** The JSON body field that carries a routing key on the task route. */
    public static final String ROUTING_KEY_FIELD = "routing_key";

    private static final JsonFactory JSON = new JsonFactory();

    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final Context eventLoop;
    private final byte[] jsonBody;

    private ClientConnection(HttpServerRequest request, Context eventLoop, byte[] jsonBody) {
        this.request = request;
        this.response = request.response();
        this.eventLoop = eventLoop;
        this.jsonBody = jsonBody;
    }

    /** Call on the thread that handles the request (it captures the request's Vert.x context). */
    public static ClientConnection of(HttpServerRequest request) {
        return new ClientConnection(request, Vertx.currentContext(), null);
    }

    /** A request whose JSON body may carry a {@code routing_key} field (read only when a split needs it). */
    public static ClientConnection of(HttpServerRequest request, byte[] jsonBody) {
        return new ClientConnection(request, Vertx.currentContext(), jsonBody);
    }

    /** The version the client pins with {@code X-Model-Version}, or null. */
    public String pinnedVersion() {
        String pinned = request.getHeader(VERSION_HEADER);
        return pinned == null || pinned.isBlank() ? null : pinned.strip();
    }

    /**
     * The client's routing key: the {@code X-Routing-Key} header, else the body's {@code routing_key}
     * field; null when it sends none.
     *
     * @throws InvalidInputException when the key is longer than {@link RoutingKey#MAX_LENGTH}
     */
    public String routingKey() {
        String key = request.getHeader(RoutingKey.HEADER);
        String field = RoutingKey.HEADER;
        if (key == null && jsonBody != null) {
            key = bodyField(jsonBody);
            field = ROUTING_KEY_FIELD;
        }
        if (key != null && key.length() > RoutingKey.MAX_LENGTH) {
            throw new InvalidInputException(field, "a routing key is at most " + RoutingKey.MAX_LENGTH + " characters");
        }
        return key;
    }

    /** The top-level string field {@code routing_key}, found without building the body's tree. */
    private static String bodyField(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (ROUTING_KEY_FIELD.equals(name)) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null; // the route's own reading reports a malformed body
        }
    }

    /** Names the version that answers, in the response's {@code X-Model-Version} header. */
    public void answeredBy(String version) {
        if (!response.headWritten()) {
            response.headers().set(VERSION_HEADER, version);
        }
    }

    /** Cancels {@code work} when the client disconnects, or at once if it already has. */
    public void cancelOnClose(Future<?> work) {
        Runnable watch = () -> {
            response.closeHandler(closed -> work.cancel(false));
            if (response.closed()) {
                work.cancel(false);
            }
        };
        if (eventLoop == null || Vertx.currentContext() == eventLoop && Context.isOnEventLoopThread()) {
            watch.run();
        } else {
            eventLoop.runOnContext(ignored -> watch.run());
        }
    }
}
