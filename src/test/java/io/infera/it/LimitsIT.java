package io.infera.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.ServerProcess;
import io.infera.testing.StreamClient;
import io.infera.testing.TestModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every configurable limit, one byte or element on each side, on the packaged server started with
 * all of them set small: the value at the limit is served (or fails for another reason), one more
 * is refused with the status and field that name the limit.
 */
class LimitsIT {

    private static final int BODY = 64 * 1024;
    private static final int JSON_DEPTH = 16;
    private static final int NUMBER_LENGTH = 40;
    private static final int ITEMS = 4;
    private static final int TEXT_CHARS = 100;
    private static final int PIXELS = 4096;
    private static final int AUDIO_SECONDS = 1;
    private static final int TENSOR_ELEMENTS = 999;
    private static final int NEW_TOKENS = 8;
    private static final int CONNECTIONS = 8;
    private static final int STREAM_SECONDS = 3;
    private static final int STREAM_FRAME_BYTES = 8000;

    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start(
                TestModels.DIR,
                "quarkus.http.limits.max-body-size=" + BODY,
                "infera.limits.max-json-depth=" + JSON_DEPTH,
                "infera.limits.max-json-number-length=" + NUMBER_LENGTH,
                "infera.limits.max-items=" + ITEMS,
                "infera.limits.max-text-chars=" + TEXT_CHARS,
                "infera.limits.max-image-pixels=" + PIXELS,
                "infera.limits.max-audio-seconds=" + AUDIO_SECONDS,
                "infera.limits.max-tensor-elements=" + TENSOR_ELEMENTS,
                "infera.limits.max-new-tokens=" + NEW_TOKENS,
                "quarkus.http.limits.max-connections=" + CONNECTIONS,
                "infera.audio.stream.max-seconds=" + STREAM_SECONDS,
                "infera.audio.stream.max-frame-bytes=" + STREAM_FRAME_BYTES,
                "infera.audio.stream.per-model=1",
                "quarkus.http.idle-timeout=2s");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> predict(String model, String contentType, byte[] body) throws Exception {
        return server.post("/v1/models/" + model + "/predict", contentType, body);
    }

    private static HttpResponse<String> predictJson(String model, String json) throws Exception {
        return predict(model, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode problem(HttpResponse<String> response, int status) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(
                "application/problem+json",
                response.headers().firstValue("Content-Type").orElse(""));
        return TestModels.JSON.readTree(response.body());
    }

    /** A text-classification request padded with spaces to exactly {@code size} bytes. */
    private static byte[] bodyOfSize(int size) {
        String json = "{\"inputs\": \"a fine day\"}";
        return (json + " ".repeat(size - json.length())).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void requestBody() throws Exception {
        assertEquals(
                200,
                predict("tiny-bert-sentiment", "application/json", bodyOfSize(BODY))
                        .statusCode());
        JsonNode tooLarge = problem(predict("tiny-bert-sentiment", "application/json", bodyOfSize(BODY + 1)), 413);
        assertEquals("body", tooLarge.path("field").asText());
        assertTrue(tooLarge.path("detail").asText().contains("max-body-size"), tooLarge.toString());
    }

    @Test
    void jsonDepth() throws Exception {
        // the body object is level 1, parameters level 2, then the arrays
        String atLimit = "{\"inputs\": \"x\", \"parameters\": {\"p\": " + "[".repeat(JSON_DEPTH - 2)
                + "]".repeat(JSON_DEPTH - 2) + "}}";
        String over = "{\"inputs\": \"x\", \"parameters\": {\"p\": " + "[".repeat(JSON_DEPTH - 1)
                + "]".repeat(JSON_DEPTH - 1) + "}}";
        HttpResponse<String> fine = predictJson("tiny-bert-sentiment", atLimit);
        assertFalse(fine.body().contains("JSON limit"), fine.body());
        JsonNode deep = problem(predictJson("tiny-bert-sentiment", over), 400);
        assertEquals("body", deep.path("field").asText());
        assertTrue(deep.path("detail").asText().contains("nesting depth"), deep.toString());
        assertFalse(deep.toString().contains("StreamReadConstraints"), "no class names: " + deep);
        // 1000-deep JSON, Quarkus' default Jackson's 500, on every JSON route
        String thousand = "[".repeat(1000) + "]".repeat(1000);
        problem(predictJson("tiny-bert-sentiment", thousand), 400);
        problem(server.post("/v2/models/tensor-ops/infer", "application/json", thousand.getBytes()), 400);
        assertEquals(
                400,
                server.post("/v1/completions", "application/json", thousand.getBytes())
                        .statusCode());
    }

    @Test
    void jsonNumberLength() throws Exception {
        // integers are held to the limit (a long one costs a quadratic parse); both are out of INT64's range
        String fits = tensorOps("1", 1).replace("[1, 2]", "[1, " + "9".repeat(NUMBER_LENGTH) + "]");
        String tooLong = tensorOps("1", 1).replace("[1, 2]", "[1, " + "9".repeat(NUMBER_LENGTH + 1) + "]");
        JsonNode outOfRange =
                problem(server.post("/v2/models/tensor-ops/infer", "application/json", fits.getBytes()), 400);
        assertTrue(outOfRange.path("field").asText().startsWith("inputs["), outOfRange.toString());
        JsonNode problem =
                problem(server.post("/v2/models/tensor-ops/infer", "application/json", tooLong.getBytes()), 400);
        assertEquals("body", problem.path("field").asText());
        assertTrue(problem.path("detail").asText().contains("Number value length"), problem.toString());
        problem(
                predictJson(
                        "tiny-bert-sentiment",
                        "{\"inputs\": \"x\", \"parameters\": {\"top_k\": " + "9".repeat(1000) + "}}"),
                400);
    }

    /** tensor-ops with {@code rows} rows of x_f32 (3 columns each) holding {@code value}. */
    private static String tensorOps(String value, int rows) {
        List<String> data = new ArrayList<>();
        for (int i = 0; i < rows * 3; i++) {
            data.add(value);
        }
        return "{\"inputs\": ["
                + "{\"name\": \"x_f32\", \"shape\": [" + rows + ", 3], \"datatype\": \"FP32\", \"data\": " + data + "},"
                + "{\"name\": \"x_f16\", \"shape\": [1, 2], \"datatype\": \"FP16\", \"data\": [0.5, -2]},"
                + "{\"name\": \"x_i64\", \"shape\": [2], \"datatype\": \"INT64\", \"data\": [1, 2]},"
                + "{\"name\": \"x_i32\", \"shape\": [2, 2], \"datatype\": \"INT32\", \"data\": [1, 2, 3, 4]},"
                + "{\"name\": \"x_bool\", \"shape\": [2], \"datatype\": \"BOOL\", \"data\": [true, false]},"
                + "{\"name\": \"x_str\", \"shape\": [2], \"datatype\": \"BYTES\", \"data\": [\"a\", \"b\"]}]}";
    }

    @Test
    void tensorElements() throws Exception {
        assertEquals(
                200,
                server.post(
                                "/v2/models/tensor-ops/infer",
                                "application/json",
                                tensorOps("1", TENSOR_ELEMENTS / 3).getBytes())
                        .statusCode());
        // 1002 elements declared: refused from the shape, before the data is read
        JsonNode over = problem(
                server.post(
                        "/v2/models/tensor-ops/infer",
                        "application/json",
                        tensorOps("1", TENSOR_ELEMENTS / 3 + 1).getBytes()),
                413);
        assertEquals("inputs[0].shape", over.path("field").asText());
        // a shape whose product overflows a long is the same 413, not an arithmetic error
        String overflow = tensorOps("1", 1).replace("[1, 3]", "[9223372036854775807, 3]");
        assertEquals(
                "inputs[0].shape",
                problem(server.post("/v2/models/tensor-ops/infer", "application/json", overflow.getBytes()), 413)
                        .path("field")
                        .asText());
    }

    @Test
    void itemsPerRequest() throws Exception {
        String items = "\"x\", ".repeat(ITEMS - 1) + "\"x\"";
        assertEquals(
                200,
                predictJson("tiny-bert-sentiment", "{\"inputs\": [" + items + "]}")
                        .statusCode());
        assertEquals(
                "inputs",
                problem(predictJson("tiny-bert-sentiment", "{\"inputs\": [" + items + ", \"x\"]}"), 413)
                        .path("field")
                        .asText());
    }

    /**
     * A version's own route is held to the same body, item and text limits; a routing key to its
     * length, in the header and in the body.
     */
    @Test
    void versionRouteAndRoutingKey() throws Exception {
        String path = "/v1/models/ab-sentiment/versions/2/predict";
        String items = "\"x\", ".repeat(ITEMS - 1) + "\"x\"";
        assertEquals(
                200,
                server.post(
                                path,
                                "application/json",
                                ("{\"inputs\": [" + items + "]}").getBytes(StandardCharsets.UTF_8))
                        .statusCode());
        HttpResponse<String> tooMany = server.post(
                path, "application/json", ("{\"inputs\": [" + items + ", \"x\"]}").getBytes(StandardCharsets.UTF_8));
        assertEquals("inputs", problem(tooMany, 413).path("field").asText());
        assertEquals(
                413, server.post(path, "application/json", bodyOfSize(BODY + 1)).statusCode());
        HttpResponse<String> longText = server.post(
                path,
                "application/json",
                ("{\"inputs\": \"" + "a".repeat(TEXT_CHARS + 1) + "\"}").getBytes(StandardCharsets.UTF_8));
        problem(longText, 400);
        String body = "{\"inputs\": \"a fine day\"}";
        assertEquals(
                200,
                server.send(
                                "POST",
                                "/v1/models/ab-sentiment/predict",
                                body,
                                "Content-Type",
                                "application/json",
                                "X-Routing-Key",
                                "k".repeat(256))
                        .statusCode());
        JsonNode header = problem(
                server.send(
                        "POST",
                        "/v1/models/ab-sentiment/predict",
                        body,
                        "Content-Type",
                        "application/json",
                        "X-Routing-Key",
                        "k".repeat(257)),
                400);
        assertEquals("X-Routing-Key", header.path("field").asText());
        JsonNode field = problem(
                predictJson("ab-sentiment", "{\"inputs\": \"a\", \"routing_key\": \"" + "k".repeat(257) + "\"}"), 400);
        assertEquals("routing_key", field.path("field").asText());
    }

    /** The OpenAI embeddings route is held to the same item and text limits, answered as OpenAI error objects. */
    @Test
    void embeddingsItemsAndText() throws Exception {
        String items = "\"x\", ".repeat(ITEMS - 1) + "\"x\"";
        assertEquals(200, embeddings("[" + items + "]").statusCode());
        HttpResponse<String> tooMany = embeddings("[" + items + ", \"x\"]");
        assertEquals(413, tooMany.statusCode(), tooMany.body());
        assertEquals(
                "input",
                TestModels.JSON
                        .readTree(tooMany.body())
                        .path("error")
                        .path("param")
                        .asText());
        HttpResponse<String> tooLong = embeddings("[\"x\", \"" + "a".repeat(TEXT_CHARS + 1) + "\"]");
        assertEquals(400, tooLong.statusCode(), tooLong.body());
        JsonNode error = TestModels.JSON.readTree(tooLong.body()).path("error");
        assertEquals("input[1]", error.path("param").asText());
        assertTrue(error.path("message").asText().contains(Integer.toString(TEXT_CHARS)), error.toString());
        String thousand = "[".repeat(1000) + "]".repeat(1000);
        assertEquals(
                400,
                server.post("/v1/embeddings", "application/json", thousand.getBytes())
                        .statusCode());
    }

    /** The tokenize route holds its texts to the item and text limits, as problem+json. */
    @Test
    void tokenizeItemsAndText() throws Exception {
        String items = "\"x\", ".repeat(ITEMS - 1) + "\"x\"";
        String path = "/v1/models/tiny-st-short/tokenize";
        assertEquals(
                200,
                server.post(
                                path,
                                "application/json",
                                ("{\"inputs\": [" + items + "]}").getBytes(StandardCharsets.UTF_8))
                        .statusCode());
        assertEquals(
                "inputs",
                problem(
                                server.post(
                                        path,
                                        "application/json",
                                        ("{\"inputs\": [" + items + ", \"x\"]}").getBytes(StandardCharsets.UTF_8)),
                                413)
                        .path("field")
                        .asText());
        JsonNode tooLong = problem(
                server.post(
                        path,
                        "application/json",
                        ("{\"inputs\": \"" + "a".repeat(TEXT_CHARS + 1) + "\"}").getBytes(StandardCharsets.UTF_8)),
                400);
        assertTrue(tooLong.path("detail").asText().contains(Integer.toString(TEXT_CHARS)), tooLong.toString());
    }

    /** The rerank route holds a query's documents to the item limit. */
    @Test
    void rerankDocuments() throws Exception {
        String documents = "\"x\", ".repeat(ITEMS - 1) + "\"x\"";
        String body = "{\"model\": \"tiny-cross-encoder\", \"query\": \"q\", \"documents\": [";
        assertEquals(
                200,
                server.post(
                                "/v1/rerank",
                                "application/json",
                                (body + documents + "]}").getBytes(StandardCharsets.UTF_8))
                        .statusCode());
        HttpResponse<String> tooMany = server.post(
                "/v1/rerank", "application/json", (body + documents + ", \"x\"]}").getBytes(StandardCharsets.UTF_8));
        assertEquals(413, tooMany.statusCode(), tooMany.body());
        assertEquals(
                "documents",
                TestModels.JSON
                        .readTree(tooMany.body())
                        .path("error")
                        .path("param")
                        .asText());
    }

    private static HttpResponse<String> embeddings(String input) throws Exception {
        return server.post(
                "/v1/embeddings",
                "application/json",
                ("{\"model\": \"tiny-st-short\", \"input\": " + input + "}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void textCharacters() throws Exception {
        assertEquals(
                200,
                predictJson("tiny-bert-sentiment", "{\"inputs\": \"" + "a".repeat(TEXT_CHARS) + "\"}")
                        .statusCode());
        JsonNode over = problem(
                predictJson("tiny-bert-sentiment", "{\"inputs\": \"" + "a".repeat(TEXT_CHARS + 1) + "\"}"), 400);
        assertTrue(over.path("detail").asText().contains(Integer.toString(TEXT_CHARS)), over.toString());
    }

    private static byte[] png(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    @Test
    void imagePixelsReadFromTheHeader() throws Exception {
        assertEquals(200, predict("tiny-vit", "image/png", png(64, 64)).statusCode());
        assertEquals(200, predict("tiny-vit", "image/png", png(PIXELS, 1)).statusCode());
        assertTrue(problem(predict("tiny-vit", "image/png", png(PIXELS + 1, 1)), 413)
                .path("detail")
                .asText()
                .contains("pixels"));
        // a 40-byte PNG declaring 20000 x 20000
        problem(predict("tiny-vit", "image/png", io.infera.testing.TestImages.pngHeaderOnly(20_000, 20_000)), 413);
    }

    /** 16-bit mono PCM WAV; {@code declaredDataBytes} may lie about the data that follows. */
    private static byte[] wav(int rate, int samples, long declaredDataBytes) {
        ByteBuffer b = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes())
                .putInt((int) Math.min(declaredDataBytes + 36, 0xFFFFFFFFL))
                .put("WAVE".getBytes());
        b.put("fmt ".getBytes())
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(rate)
                .putInt(rate * 2)
                .putShort((short) 2)
                .putShort((short) 16);
        b.put("data".getBytes()).putInt((int) declaredDataBytes);
        for (int i = 0; i < samples; i++) {
            b.putShort((short) (1000 * Math.sin(i / 10.0)));
        }
        return b.array();
    }

    @Test
    void audioSeconds() throws Exception {
        int rate = 16_000;
        assertEquals(
                200,
                predict("tiny-wav2vec2-audio", "audio/wav", wav(rate, AUDIO_SECONDS * rate, AUDIO_SECONDS * rate * 2L))
                        .statusCode());
        JsonNode over = problem(
                predict(
                        "tiny-wav2vec2-audio",
                        "audio/wav",
                        wav(rate, AUDIO_SECONDS * rate + 1, (AUDIO_SECONDS * rate + 1) * 2L)),
                413);
        assertTrue(over.path("detail").asText().contains("limit"), over.toString());
        // a header that declares 2 GiB of samples: only what is there is read
        HttpResponse<String> liar = predict("tiny-wav2vec2-audio", "audio/wav", wav(rate, 400, 0x7FFF_FFFFL));
        assertEquals(200, liar.statusCode(), liar.body());
        // a rate that does not reduce to a small ratio with 16 kHz cannot make the resampler build gigabytes
        JsonNode odd = problem(predict("tiny-wav2vec2-audio", "audio/wav", wav(44_101, 441, 882)), 400);
        assertTrue(odd.path("detail").asText().contains("44101 Hz"), odd.toString());
    }

    /** OpenAI's transcription form is held to the same audio length and body size, answered as OpenAI errors. */
    @Test
    void transcriptionAudioAndBody() throws Exception {
        int rate = 16_000;
        HttpResponse<String> fits = transcribe(wav(rate, AUDIO_SECONDS * rate, AUDIO_SECONDS * rate * 2L));
        assertEquals(200, fits.statusCode(), fits.body());
        HttpResponse<String> over = transcribe(wav(rate, AUDIO_SECONDS * rate + 1, (AUDIO_SECONDS * rate + 1) * 2L));
        assertEquals(413, over.statusCode(), over.body());
        assertEquals(
                "file", TestModels.JSON.readTree(over.body()).at("/error/param").asText(), over.body());
        assertEquals(413, transcribe(new byte[BODY]).statusCode());
    }

    private static HttpResponse<String> transcribe(byte[] audio) throws Exception {
        String boundary = "limits-boundary";
        java.io.ByteArrayOutputStream form = new java.io.ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n"
                        + "tiny-wav2vec2-ctc\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                        + "Content-Type: audio/wav\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        form.writeBytes(audio);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return server.post("/v1/audio/transcriptions", "multipart/form-data; boundary=" + boundary, form.toByteArray());
    }

    /** A live stream that closes after these frames (and a stop, if asked): "code reason". */
    private static String streamEnding(String query, List<byte[]> frames, boolean stop) throws Exception {
        StreamClient stream = StreamClient.open(server.port(), query).send(frames);
        if (stop) {
            stream.stop();
        }
        String ending = stream.closing();
        Thread.sleep(300); // the server counts the stream closed once its side has closed too (one per model here)
        return ending;
    }

    /** Live streams are held to their length, message size and number per model, closing with a code and reason. */
    @Test
    void streamSecondsFrameBytesAndStreamsPerModel() throws Exception {
        String query = "model=tiny-wav2vec2-ctc&sample_rate=16000&encoding=pcm16";
        byte[] quarterSecond = new byte[16_000 / 4 * 2];
        List<byte[]> fits = java.util.Collections.nCopies(STREAM_SECONDS * 4, quarterSecond);
        assertEquals("1000 stopped", streamEnding(query, fits, true));
        List<byte[]> tooLong = java.util.Collections.nCopies(STREAM_SECONDS * 4 + 1, quarterSecond);
        String overLength = streamEnding(query, tooLong, false);
        assertTrue(overLength.startsWith("1008 ") && overLength.contains("max-seconds"), overLength);
        String tooBig = streamEnding(query, List.of(new byte[STREAM_FRAME_BYTES + 2]), false);
        assertTrue(tooBig.startsWith("1009 ") && tooBig.contains("max-frame-bytes"), tooBig);

        StreamClient first = StreamClient.open(server.port(), query);
        String second = streamEnding(query, List.of(), false);
        assertTrue(second.startsWith("1013 ") && second.contains("per-model"), second);
        assertEquals("1000 stopped", first.stop().closing());
    }

    @Test
    void generatedTokens() throws Exception {
        String body = "{\"inputs\": \"hello\", \"parameters\": {\"do_sample\": false, \"max_new_tokens\": %d}}";
        assertEquals(200, predictJson("tiny-gpt2", body.formatted(NEW_TOKENS)).statusCode());
        assertEquals(
                "parameters.max_new_tokens",
                problem(predictJson("tiny-gpt2", body.formatted(NEW_TOKENS + 1)), 400)
                        .path("field")
                        .asText());
    }

    /** Opens a connection and sends a whole request on it, leaving it open (keep-alive). */
    private static Socket keptAlive() throws IOException {
        Socket socket = new Socket("localhost", server.port());
        socket.setSoTimeout(5000);
        socket.getOutputStream().write("GET /q/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes());
        return socket;
    }

    /** Reads until the server closes the connection; false when it stays open past the timeout. */
    private static boolean closedByServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Test
    void connectionsAndIdleTime() throws Exception {
        Thread.sleep(3000); // the idle timeout closes the test client's pooled connections first
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket socket = keptAlive();
                assertTrue(readsAnswer(socket), "connection " + (i + 1) + " of " + CONNECTIONS + " is served");
                open.add(socket);
            }
            Socket extra = new Socket("localhost", server.port());
            extra.setSoTimeout(1000);
            open.add(extra);
            try {
                extra.getOutputStream().write("GET /q/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes());
            } catch (IOException e) {
                // already closed
            }
            assertTrue(closedByServer(extra), "connection " + (CONNECTIONS + 1) + " is closed at once");
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
        // half-open connections (a request line and no end of headers) are closed after the idle time
        List<Socket> halfOpen = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket socket = new Socket("localhost", server.port());
                socket.setSoTimeout(6000);
                OutputStream out = socket.getOutputStream();
                out.write("POST /v1/models/tiny-bert-sentiment/predict HTTP/1.1\r\nHost: localhost\r\n".getBytes());
                halfOpen.add(socket);
            }
            for (Socket socket : halfOpen) {
                assertTrue(closedByServer(socket), "idle connection closed within 6 s (idle timeout 2 s)");
            }
        } finally {
            for (Socket s : halfOpen) {
                s.close();
            }
        }
        // and the server serves again once they are gone
        assertNotEquals(0, server.get("/q/health/live").statusCode());
        assertEquals(200, server.get("/q/health/live").statusCode());
    }

    private static boolean readsAnswer(Socket socket) throws IOException {
        byte[] buffer = new byte[4096];
        int n = socket.getInputStream().read(buffer);
        return n > 0 && new String(buffer, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
    }
}
