package io.infera.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A live-recognition stream (/v1/audio/stream) opened by a test against a server process: what it
 * sends, the server's text messages, and how the stream closed ("code reason").
 */
public final class StreamClient implements WebSocket.Listener {

    private final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private WebSocket socket;

    private StreamClient() {}

    /** Opens a stream with this query, offering these subprotocols. */
    public static StreamClient open(int port, String query, String... subprotocols) {
        StreamClient client = new StreamClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        client.socket = builder.buildAsync(URI.create("ws://localhost:" + port + "/v1/audio/stream?" + query), client)
                .join();
        return client;
    }

    public WebSocket socket() {
        return socket;
    }

    /** Sends the frames as binary messages, in order, until the server closes the stream. */
    public StreamClient send(List<byte[]> frames) {
        try {
            for (byte[] frame : frames) {
                if (closed.isDone()) {
                    break;
                }
                socket.sendBinary(ByteBuffer.wrap(frame), true).join();
            }
        } catch (CompletionException e) {
            // the server closed while this was sent
        }
        return this;
    }

    /** Asks the server to end the stream (it answers the last utterance first). */
    public StreamClient stop() {
        if (!closed.isDone()) {
            try {
                socket.sendText("{\"type\": \"stop\"}", true).join();
            } catch (CompletionException e) {
                // closed meanwhile
            }
        }
        return this;
    }

    /** The server's next text message, within 30 s. */
    public String nextText() throws InterruptedException {
        String message = texts.poll(30, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no message from the stream within 30 s");
        }
        return message;
    }

    /** How the stream closed: "code reason" (within 60 s). */
    public String closing() throws Exception {
        return closed.get(60, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            texts.add(text.toString());
            text.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
        closed.complete(code + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.complete("1006 " + error);
    }
}
