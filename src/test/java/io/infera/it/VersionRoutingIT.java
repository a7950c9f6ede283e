package io.infera.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.Metrics;
import io.infera.testing.ServerProcess;
import io.infera.testing.TestModels;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two versions of one classifier served side by side (ab-sentiment: version 2 answers differently
 * on some inputs), on the packaged server with management on: the split, routing keys, pins,
 * shadow copies and their agreement metric, changes of the split under load, and a version that
 * fails to load.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VersionRoutingIT {

    private static final String TOKEN = "s3cret";
    private static final String MODEL = "ab-sentiment";
    private static final String GENERATOR = "ab-gpt";
    private static final List<String> TEXTS = List.of(
            "a fine day",
            "the service was slow and the food was cold",
            "nothing much happened",
            "what a wonderful surprise",
            "I will never come back",
            "the train left on time",
            "great acting, weak plot",
            "terrible, just terrible",
            "it rained all week",
            "best purchase this year");

    @TempDir
    static Path models;

    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        TestModels.copyFolder(TestModels.DIR.resolve(MODEL), models.resolve(MODEL));
        // the same generator as versions 1 and 2, version 2 shadowing every completion
        for (String version : List.of("1", "2")) {
            TestModels.copyFolder(
                    TestModels.DIR.resolve("tiny-gpt2"),
                    models.resolve(GENERATOR).resolve(version));
        }
        Files.writeString(
                models.resolve(GENERATOR).resolve("serving.yaml"),
                "version_policy: {all: {}}\ntraffic: {split: {\"1\": 100}, shadow: {version: 2, sample: 1.0}}\n");
        server = ServerProcess.start(
                models,
                "infera.management.enabled=true",
                "infera.management.token=" + TOKEN,
                "infera.management.drain-grace=5s");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> predict(String text, String... headers) throws Exception {
        return predictAt("/v1/models/" + MODEL + "/predict", "{\"inputs\": \"" + text + "\"}", headers);
    }

    private static HttpResponse<String> predictAt(String path, String body, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return server.send("POST", path, body, all);
    }

    private static HttpResponse<String> traffic(String policy) throws Exception {
        return server.send(
                "PUT",
                "/v2/repository/models/" + MODEL + "/traffic",
                policy,
                "Content-Type",
                "application/json",
                "Authorization",
                "Bearer " + TOKEN);
    }

    private static String version(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return response.headers().firstValue("X-Model-Version").orElseThrow();
    }

    @Test
    @Order(1)
    void bothVersionsAreListedWithTheirWeightsAndTheSplit() throws Exception {
        JsonNode model =
                TestModels.JSON.readTree(server.get("/v1/models/" + MODEL).body());
        assertEquals("2", model.get("version").asText(), "the default version is the highest");
        assertEquals(2, model.get("versions").size());
        for (JsonNode version : model.get("versions")) {
            assertEquals("READY", version.get("state").asText());
            assertTrue(version.get("weights_bytes").asLong() > 0);
        }
        assertEquals(90, model.at("/traffic/split/1").asInt());
        JsonNode v2 = TestModels.JSON.readTree(server.get("/v2/models/" + MODEL).body());
        assertEquals("[\"2\",\"1\"]", v2.get("versions").toString());
        assertTrue(server.get("/q/metrics")
                .body()
                .contains("infera_model_weights_bytes{model=\"ab-sentiment\",version=\"1\""));
    }

    @Test
    @Order(2)
    void aNinetyTenSplitOverTwoThousandRequestsLandsWithinBinomialBounds() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> versions = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String text = TEXTS.get(i % TEXTS.size());
                versions.add(clients.submit(() -> version(predict(text))));
            }
            int toTwo = 0;
            for (Future<String> v : versions) {
                toTwo += v.get().equals("2") ? 1 : 0;
            }
            // mean 200, standard deviation 13.4: five of them either side
            assertTrue(toTwo > 133 && toTwo < 267, toTwo + " of 2000 requests went to version 2");
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    @Order(3)
    void theSameRoutingKeyAlwaysLandsOnTheSameVersion() throws Exception {
        Map<String, Integer> perVersion = new HashMap<>();
        for (int user = 0; user < 100; user++) {
            String key = "user-" + user;
            String first = version(predict("a fine day", "X-Routing-Key", key));
            for (int again = 0; again < 3; again++) {
                assertEquals(first, version(predict("nothing much happened", "X-Routing-Key", key)), key);
            }
            String body = "{\"inputs\": \"a fine day\", \"routing_key\": \"" + key + "\"}";
            assertEquals(first, version(predictAt("/v1/models/" + MODEL + "/predict", body)), key + " in the body");
            perVersion.merge(first, 1, Integer::sum);
        }
        assertTrue(perVersion.getOrDefault("1", 0) > 70, "keys spread by the weights: " + perVersion);
    }

    @Test
    @Order(4)
    void aPinBypassesTheSplit() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals("2", version(predict("a fine day", "X-Model-Version", "2")));
            assertEquals(
                    "1",
                    version(predictAt("/v1/models/" + MODEL + "/versions/1/predict", "{\"inputs\": \"a fine day\"}")));
        }
        HttpResponse<String> absent = predict("a fine day", "X-Model-Version", "7");
        assertEquals(404, absent.statusCode(), absent.body());
    }

    @Test
    @Order(5)
    void shadowAnswersNeverReachTheClientAndTheirAgreementIsMeasured() throws Exception {
        Map<String, String> one = new HashMap<>();
        int agree = 0;
        for (String text : TEXTS) {
            String a = TestModels.JSON
                    .readTree(predict(text, "X-Model-Version", "1").body())
                    .get(0)
                    .get("label")
                    .asText();
            String b = TestModels.JSON
                    .readTree(predict(text, "X-Model-Version", "2").body())
                    .get(0)
                    .get("label")
                    .asText();
            one.put(text, a);
            agree += a.equals(b) ? 1 : 0;
        }
        assertTrue(agree > 0 && agree < TEXTS.size(), "the versions agree on some texts only: " + agree);
        assertEquals(
                200,
                traffic("{\"split\": {\"1\": 100}, \"shadow\": {\"version\": \"2\", \"sample\": 1.0}}")
                        .statusCode());
        double agreedBefore = shadowComparisons("agree");
        double disagreedBefore = shadowComparisons("disagree");
        for (String text : TEXTS) {
            HttpResponse<String> answer = predict(text);
            assertEquals("1", version(answer), "the shadow never answers");
            assertEquals(
                    one.get(text),
                    TestModels.JSON.readTree(answer.body()).get(0).get("label").asText());
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (shadowComparisons("agree") + shadowComparisons("disagree") - agreedBefore - disagreedBefore
                        < TEXTS.size()
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertEquals(agree, shadowComparisons("agree") - agreedBefore, 0.0);
        assertEquals(TEXTS.size() - agree, shadowComparisons("disagree") - disagreedBefore, 0.0);
    }

    @Test
    @Order(6)
    void rawTensorRequestsAreShadowedToo() throws Exception {
        assertEquals(
                200,
                traffic("{\"split\": {\"1\": 100}, \"shadow\": {\"version\": \"2\"}}")
                        .statusCode());
        double before = shadowComparisons("agree") + shadowComparisons("disagree");
        String tensors = "{\"inputs\": [{\"name\": \"input_ids\", \"shape\": [1, 4], \"datatype\": \"INT64\", "
                + "\"data\": [2, 20, 30, 3]}, {\"name\": \"attention_mask\", \"shape\": [1, 4], \"datatype\": "
                + "\"INT64\", \"data\": [1, 1, 1, 1]}, {\"name\": \"token_type_ids\", \"shape\": [1, 4], "
                + "\"datatype\": \"INT64\", \"data\": [0, 0, 0, 0]}]}";
        HttpResponse<String> answer = predictAt("/v2/models/" + MODEL + "/infer", tensors);
        assertEquals("1", version(answer));
        assertEquals(
                "1",
                TestModels.JSON.readTree(answer.body()).get("model_version").asText());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (shadowComparisons("agree") + shadowComparisons("disagree") == before
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        // two models with other weights: their logits differ by more than the tolerance
        assertEquals(before + 1, shadowComparisons("disagree") + shadowComparisons("agree"), 0.0);
    }

    @Test
    @Order(7)
    void completionsAreShadowedAndTheSameGreedyGeneratorAgrees() throws Exception {
        String body =
                "{\"model\": \"" + GENERATOR + "\", \"prompt\": \"hello\", \"max_tokens\": 4, \"temperature\": 0}";
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = predictAt("/v1/completions", body);
            assertEquals("1", version(answer));
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (shadowComparisons(GENERATOR, "agree") < 3 && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertEquals(3, shadowComparisons(GENERATOR, "agree"), 0.0);
        assertEquals(0, shadowComparisons(GENERATOR, "disagree"), 0.0);
    }

    private static double shadowComparisons(String result) throws Exception {
        return shadowComparisons(MODEL, result);
    }

    private static double shadowComparisons(String model, String result) throws Exception {
        return Metrics.valueIn(
                server.get("/q/metrics").body(),
                "infera_shadow_comparisons_total",
                "model=\"" + model + "\"",
                "result=\"" + result + "\"",
                "version=\"2\"");
    }

    @Test
    @Order(8)
    void changingTheSplitUnderLoadLosesNoRequest() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        Map<Integer, Integer> failures = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                load.add(clients.submit(() -> {
                    while (running.get()) {
                        HttpResponse<String> response = predict("a fine day");
                        if (response.statusCode() == 200) {
                            answered.incrementAndGet();
                        } else {
                            failures.merge(response.statusCode(), 1, Integer::sum);
                        }
                    }
                    return null;
                }));
            }
            for (int change = 0; change < 20; change++) {
                String policy =
                        change % 2 == 0 ? "{\"split\": {\"1\": 5, \"2\": 95}}" : "{\"split\": {\"1\": 95, \"2\": 5}}";
                assertEquals(200, traffic(policy).statusCode());
                Thread.sleep(50);
            }
            running.set(false);
            for (Future<?> f : load) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(Map.of(), failures);
        assertTrue(answered.get() > 20, answered + " answered");
    }

    @Test
    @Order(9)
    void aBadPolicyIsRefusedNamingTheField() throws Exception {
        HttpResponse<String> unknown = traffic("{\"split\": {\"3\": 10}}");
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("split.3"), unknown.body());
        HttpResponse<String> sample = traffic("{\"shadow\": {\"version\": \"1\", \"sample\": 2}}");
        assertEquals(400, sample.statusCode());
        assertTrue(sample.body().contains("shadow.sample"), sample.body());
        HttpResponse<String> anonymous = server.send(
                "PUT", "/v2/repository/models/" + MODEL + "/traffic", "{}", "Content-Type", "application/json");
        assertEquals(401, anonymous.statusCode());
    }

    @Test
    @Order(10)
    void aNewVersionThatFailsToLoadLeavesTheOthersServing() throws Exception {
        Path broken = models.resolve(MODEL).resolve("3");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("model.onnx"), "not an onnx graph");
        Files.copy(models.resolve(MODEL).resolve("1").resolve("config.json"), broken.resolve("config.json"));
        HttpResponse<String> load =
                server.send("POST", "/v2/repository/models/" + MODEL + "/load", "", "Authorization", "Bearer " + TOKEN);
        assertEquals(409, load.statusCode(), "the load reports the failure: " + load.body());
        assertTrue(load.body().contains("version 3"), load.body());
        JsonNode model =
                TestModels.JSON.readTree(server.get("/v1/models/" + MODEL).body());
        assertEquals("READY", model.get("state").asText());
        assertEquals("3", model.at("/versions/0/version").asText());
        assertEquals("FAILED", model.at("/versions/0/state").asText());
        assertEquals("READY", model.at("/versions/1/state").asText());
        assertEquals("2", model.get("version").asText(), "the default is the highest READY version");
        assertEquals("1", version(predict("a fine day", "X-Model-Version", "1")));
        assertEquals(90, model.at("/traffic/split/1").asInt(), "a load reads serving.yaml's traffic again");
        assertTrue(List.of("1", "2").contains(version(predict("a fine day"))));
        HttpResponse<String> failed = predict("a fine day", "X-Model-Version", "3");
        assertEquals(409, failed.statusCode(), "a FAILED version answers as a FAILED model does");
        assertTrue(failed.body().contains("version 3 failed to load"), failed.body());
    }
}
