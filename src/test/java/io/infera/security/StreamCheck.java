package io.infera.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Opens one hostile stream and says how it ended: "status body" for a refused upgrade, "code reason" for a close. */
final class StreamCheck {

    private StreamCheck() {}

    static String run(int port, HostileStream stream) throws Exception {
        // a client per stream: a refused upgrade leaves a keep-alive connection in a shared client's
        // pool, and the JDK client can fail the first message of a WebSocket opened over one (SoakIT)
        HttpClient http = HttpClient.newHttpClient();
        try {
            return run(http, port, stream);
        } finally {
            http.shutdownNow();
        }
    }

    private static String run(HttpClient http, int port, HostileStream stream) throws Exception {
        CompletableFuture<String> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                socket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                closed.complete(code + " " + reason);
                return null;
            }

            @Override
            public void onError(WebSocket socket, Throwable error) {
                closed.complete("1006 " + error);
            }
        };
        WebSocket socket;
        try {
            socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://localhost:" + port + "/v1/audio/stream?" + stream.query()), listener)
                    .join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode() + " "
                        + refused.getResponse().body();
            }
            if (e.getCause() instanceof IllegalArgumentException bad) {
                return "400 the client refused the URI: " + bad.getMessage(); // a query no client sends
            }
            throw e;
        }
        for (Object message : stream.messages()) {
            if (closed.isDone()) {
                break;
            }
            try {
                if (message instanceof byte[] bytes) {
                    socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
                } else {
                    socket.sendText((String) message, true).get(10, TimeUnit.SECONDS);
                }
            } catch (java.util.concurrent.ExecutionException e) {
                break; // the server closed while this was sent
            }
        }
        if (!closed.isDone()) {
            try {
                socket.sendText("{\"type\": \"stop\"}", true).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                // closed meanwhile
            }
        }
        try {
            return closed.get(60, TimeUnit.SECONDS);
        } finally {
            socket.abort();
        }
    }
}
