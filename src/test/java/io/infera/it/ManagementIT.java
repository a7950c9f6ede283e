package io.infera.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.ServerProcess;
import io.infera.testing.TestModels;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access control and the model lifecycle over HTTP, on the packaged server with management turned
 * on (token "s3cret") and API keys required ("key-one", "key-two"), serving a copy of two test
 * models that the tests unload, reload and break.
 */
class ManagementIT {

    private static final String TOKEN = "s3cret";
    private static final String KEY = "key-one";
    private static final String SENTIMENT = "{\"inputs\": \"a fine day\"}";
    private static final String TENSORS =
            "{\"inputs\": [{\"name\": \"n\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [1]}]}";

    @TempDir
    static Path models;

    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        TestModels.copyFolder(TestModels.DIR.resolve("tiny-bert-sentiment"), models.resolve("tiny-bert-sentiment"));
        TestModels.copyFolder(TestModels.DIR.resolve("sleepy"), models.resolve("sleepy"));
        TestModels.copyFolder(TestModels.DIR.resolve("tiny-wav2vec2-ctc"), models.resolve("tiny-wav2vec2-ctc"));
        server = ServerProcess.start(
                models,
                "infera.management.enabled=true",
                "infera.management.token=" + TOKEN,
                "infera.management.drain-grace=5s",
                "infera.auth.api-keys=" + KEY + ",key-two");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> manage(String path, String authorization) throws Exception {
        return authorization == null
                ? server.send("POST", "/v2/repository" + path, "")
                : server.send("POST", "/v2/repository" + path, "", "Authorization", authorization);
    }

    private static HttpResponse<String> predict(String model, String body) throws Exception {
        return server.send(
                "POST", "/v1/models/" + model + "/predict", body, "Content-Type", "application/json", "X-API-Key", KEY);
    }

    private static HttpResponse<String> infer(String body) throws Exception {
        return server.send(
                "POST",
                "/v2/models/sleepy/infer",
                body,
                "Content-Type",
                "application/json",
                "Authorization",
                "Bearer " + KEY);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return TestModels.JSON.readTree(response.body());
    }

    private static String stateOf(String model) throws Exception {
        for (JsonNode entry : json(manage("/index", "Bearer " + TOKEN))) {
            if (entry.path("name").asText().equals(model)) {
                return entry.path("state").asText();
            }
        }
        return "absent";
    }

    @Test
    void managementNeedsItsToken() throws Exception {
        HttpResponse<String> anonymous = manage("/index", null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(403, manage("/index", "Bearer wrong").statusCode());
        assertEquals(403, manage("/index", "Bearer " + KEY).statusCode(), "an API key is not a management token");
        assertEquals(401, manage("/index", "Basic czNjcmV0").statusCode());
        HttpResponse<String> index = manage("/index", "Bearer " + TOKEN);
        assertEquals(200, index.statusCode());
        assertEquals("READY", stateOf("tiny-bert-sentiment"));
        assertEquals(
                404, manage("/models/no-such-model/load", "Bearer " + TOKEN).statusCode());
        assertEquals(404, manage("/models/..%2Fsleepy/load", "Bearer " + TOKEN).statusCode());
    }

    @Test
    void unloadThenLoad() throws Exception {
        assertEquals(200, predict("tiny-bert-sentiment", SENTIMENT).statusCode());
        HttpResponse<String> unloaded = manage("/models/tiny-bert-sentiment/unload", "Bearer " + TOKEN);
        assertEquals(200, unloaded.statusCode(), unloaded.body());
        assertEquals("UNAVAILABLE", json(unloaded).path("state").asText());
        assertEquals(404, predict("tiny-bert-sentiment", SENTIMENT).statusCode());
        assertEquals("UNAVAILABLE", stateOf("tiny-bert-sentiment"));
        assertEquals(
                404,
                manage("/models/tiny-bert-sentiment/unload", "Bearer " + TOKEN).statusCode());
        HttpResponse<String> loaded = manage("/models/tiny-bert-sentiment/load", "Bearer " + TOKEN);
        assertEquals(200, loaded.statusCode(), loaded.body());
        assertEquals("READY", json(loaded).path("state").asText());
        assertEquals(200, predict("tiny-bert-sentiment", SENTIMENT).statusCode());
    }

    /** Clients that call one model in a loop until stopped, counting answers by status. */
    private static final class Load implements AutoCloseable {
        private final ExecutorService clients = Executors.newFixedThreadPool(4);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Map<Integer, Integer> byStatus = new TreeMap<>();
        private final java.util.List<Future<?>> loops = new java.util.ArrayList<>();

        Load(String model, String body) {
            for (int i = 0; i < 4; i++) {
                loops.add(clients.submit(() -> {
                    while (running.get()) {
                        int status = predict(model, body).statusCode();
                        synchronized (byStatus) {
                            byStatus.merge(status, 1, Integer::sum);
                        }
                    }
                    return null;
                }));
            }
        }

        Map<Integer, Integer> stop() throws Exception {
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get();
            }
            return byStatus;
        }

        @Override
        public void close() {
            running.set(false);
            clients.shutdownNow();
        }
    }

    @Test
    void aFailedReloadKeepsTheServingVersionAndAGoodOneReplacesIt() throws Exception {
        Path onnx = models.resolve("tiny-bert-sentiment/model.onnx");
        byte[] good = Files.readAllBytes(onnx);
        Map<Integer, Integer> answers;
        try (Load load = new Load("tiny-bert-sentiment", SENTIMENT)) {
            Files.write(onnx, java.util.Arrays.copyOf(good, good.length / 2));
            HttpResponse<String> failed = manage("/models/tiny-bert-sentiment/load", "Bearer " + TOKEN);
            assertEquals(409, failed.statusCode(), failed.body());
            assertTrue(json(failed).path("detail").asText().contains("ONNX Runtime"), failed.body());
            assertEquals("READY", stateOf("tiny-bert-sentiment"), "the old version keeps serving");
            Files.write(onnx, good);
            HttpResponse<String> reloaded = manage("/models/tiny-bert-sentiment/load", "Bearer " + TOKEN);
            assertEquals(200, reloaded.statusCode(), reloaded.body());
            answers = load.stop();
        } finally {
            Files.write(onnx, good);
        }
        System.out.println("answers during a failed and a good reload: " + answers);
        assertEquals(Map.of(200, answers.get(200)), answers, "every request answered 200: " + answers);
    }

    @Test
    void loadUnloadCyclesDoNotDisturbOtherModels() throws Exception {
        Map<Integer, Integer> answers;
        try (Load load = new Load("tiny-bert-sentiment", SENTIMENT)) {
            for (int cycle = 0; cycle < 100; cycle++) {
                assertEquals(
                        200, manage("/models/sleepy/unload", "Bearer " + TOKEN).statusCode());
                assertEquals(
                        200, manage("/models/sleepy/load", "Bearer " + TOKEN).statusCode());
            }
            answers = load.stop();
        }
        assertEquals(200, infer(TENSORS).statusCode());
        System.out.println("100 unload/load cycles of sleepy; answers of tiny-bert-sentiment meanwhile: " + answers);
        assertEquals(Map.of(200, answers.get(200)), answers);
        assertTrue(answers.get(200) > 100);
    }

    @Test
    void apiKeysGuardTheInferenceRoutesOnly() throws Exception {
        HttpResponse<String> anonymous = server.send(
                "POST", "/v1/models/tiny-bert-sentiment/predict", SENTIMENT, "Content-Type", "application/json");
        assertEquals(401, anonymous.statusCode());
        assertEquals(
                "application/problem+json",
                anonymous.headers().firstValue("Content-Type").orElse(""));
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isPresent());
        assertEquals(
                401,
                server.send(
                                "POST",
                                "/v1/models/tiny-bert-sentiment/predict",
                                SENTIMENT,
                                "Content-Type",
                                "application/json",
                                "X-API-Key",
                                "key-three")
                        .statusCode());
        assertEquals(
                200,
                server.send(
                                "POST",
                                "/v1/models/tiny-bert-sentiment/predict",
                                SENTIMENT,
                                "Content-Type",
                                "application/json",
                                "Authorization",
                                "Bearer key-two")
                        .statusCode());
        assertEquals(200, predict("tiny-bert-sentiment", SENTIMENT).statusCode());
        assertEquals(401, server.send("GET", "/v1/models", null).statusCode());
        assertEquals(
                401,
                server.send("POST", "/v2/models/sleepy/infer", TENSORS, "Content-Type", "application/json")
                        .statusCode());
        assertEquals(
                401,
                server.send("POST", "/v1/completions", "{}", "Content-Type", "application/json")
                        .statusCode());
        // a WebSocket (a browser's cannot send headers) presents its key as a subprotocol
        java.net.http.WebSocket.Builder socket =
                java.net.http.HttpClient.newHttpClient().newWebSocketBuilder();
        java.net.URI stream =
                java.net.URI.create("ws://localhost:" + server.port() + "/v1/audio/stream?model=tiny-wav2vec2-ctc");
        java.util.concurrent.CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.CompletionException.class,
                () -> socket.buildAsync(stream, new java.net.http.WebSocket.Listener() {})
                        .join());
        assertTrue(
                refused.getCause() instanceof java.net.http.WebSocketHandshakeException h
                        && h.getResponse().statusCode() == 401,
                String.valueOf(refused.getCause()));
        io.infera.testing.StreamClient open = io.infera.testing.StreamClient.open(
                server.port(), "model=tiny-wav2vec2-ctc", "infera", "infera-api-key.key-two");
        assertEquals("infera", open.socket().getSubprotocol());
        assertTrue(open.nextText().contains("\"ready\""));
        assertEquals("1000 stopped", open.stop().closing());
        // probes, scrapers and the server metadata stay open
        assertEquals(200, server.send("GET", "/q/health/ready", null).statusCode());
        assertEquals(200, server.send("GET", "/v2/health/live", null).statusCode());
        assertEquals(200, server.send("GET", "/q/metrics", null).statusCode());
        assertEquals(200, server.send("GET", "/v2", null).statusCode());
    }

    @Test
    void requestIdsAreEchoedAndQuotedInProblems() throws Exception {
        HttpResponse<String> bad = server.send(
                "POST",
                "/v1/models/tiny-bert-sentiment/predict",
                "{\"inputs\": 5}",
                "Content-Type",
                "application/json",
                "X-API-Key",
                KEY,
                "X-Request-Id",
                "client-42");
        assertEquals(400, bad.statusCode());
        assertEquals("client-42", bad.headers().firstValue("X-Request-Id").orElse(""));
        assertEquals("client-42", json(bad).path("request_id").asText());
        HttpResponse<String> unsafe = server.send(
                "POST",
                "/v1/models/tiny-bert-sentiment/predict",
                "{\"inputs\": 5}",
                "Content-Type",
                "application/json",
                "X-API-Key",
                KEY,
                "X-Request-Id",
                "<script>");
        String assigned = unsafe.headers().firstValue("X-Request-Id").orElse("");
        assertNotEquals("<script>", assigned);
        assertEquals(36, assigned.length(), "a UUID replaces an id that is not a plain token");
        assertEquals(assigned, json(unsafe).path("request_id").asText());
        HttpResponse<String> unauthorized = server.send("GET", "/v1/models", null, "X-Request-Id", "client-43");
        assertEquals("client-43", json(unauthorized).path("request_id").asText());
    }

    @Test
    void managementTurnedOnWithoutATokenDoesNotStart() {
        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> ServerProcess.start(models, "infera.management.enabled=true")
                        .close());
        assertTrue(refused.getMessage().contains("infera.management.token"), refused.getMessage());
    }
}
