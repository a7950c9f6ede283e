package io.infera.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.Future;

/**
 * The connection of the client a request came from, to stop its work when it goes away. The
 * close event is delivered on the request's event loop; watching for it from another thread could
 * miss it (the client closes between the check and the registration), so the watch is set up on
 * that event loop too.
 */
public final class ClientConnection {

    private final HttpServerResponse response;
    private final Context eventLoop;

    private ClientConnection(HttpServerResponse response, Context eventLoop) {
        this.response = response;
        this.eventLoop = eventLoop;
    }

    /** Call on the thread that handles the request (it captures the request's Vert.x context). */
    public static ClientConnection of(HttpServerResponse response) {
        return new ClientConnection(response, Vertx.currentContext());
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
