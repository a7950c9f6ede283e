package io.infera.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.testing.ServerProcess;
import io.infera.testing.TestModels;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (Debian's package) scrapes the packaged server while it answers requests:
 * every metric the dashboard, the alerts and the autoscaler read is in /q/metrics, a latency
 * quantile comes back from Prometheus' own histogram_quantile, every dashboard query runs, and
 * every alerting rule evaluates without error. It serves the bundled package-topics, a picture and
 * a speech model, and package-topics again as two versions, one shadowing the other, so that the
 * per-version, prediction and input series exist too.
 */
class PrometheusScrapeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final String TOPICS = "package-topics";
    private static final String VERSIONED = "topics-versions";
    /** A picture and a speech model: their input series (pixels, brightness, seconds) exist too. */
    private static final String PICTURES = "fashion-mnist-cnn";

    private static final String SPEECH = "speech-digits";

    private static ServerProcess server;
    private static Process prometheus;
    private static Path workDir;
    private static int prometheusPort;

    @BeforeAll
    static void start() throws Exception {
        Path binary = OpsTools.require("prometheus");
        workDir = Files.createTempDirectory("infera-prometheus");
        server = ServerProcess.start(models(workDir.resolve("models")));
        traffic(20);
        try (ServerSocket socket = new ServerSocket(0)) {
            prometheusPort = socket.getLocalPort();
        }
        Files.writeString(workDir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: [%s]
                scrape_configs:
                  - job_name: infera
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(
                        MonitoringFiles.ALERTS.toAbsolutePath(), server.port()));
        prometheus = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + workDir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + workDir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("prometheus.log").toFile())
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * The bundled package-topics, and the same model served as versions 1 and 2 with version 2
     * shadowing every request (the per-version, prediction and shadow series exist; the two agree,
     * so no alert fires).
     */
    private static Path models(Path root) throws IOException {
        Path topics = TestModels.BUNDLED.resolve(TOPICS);
        for (String model : List.of(TOPICS, PICTURES, SPEECH)) {
            TestModels.copyFolder(TestModels.BUNDLED.resolve(model), root.resolve(model));
        }
        for (String version : List.of("1", "2")) {
            TestModels.copyFolder(topics, root.resolve(VERSIONED).resolve(version));
            Files.delete(root.resolve(VERSIONED).resolve(version).resolve("serving.yaml"));
        }
        Files.writeString(root.resolve(VERSIONED).resolve("serving.yaml"), """
                version_policy: {all: {}}
                traffic: {split: {"1": 100}, shadow: {version: 2, sample: 1.0}}
                """);
        return root;
    }

    /** Good and bad requests, so that success and client-error series exist; shadowed ones; a picture, a clip. */
    private static void traffic(int requests) throws Exception {
        HttpResponse<String> picture = server.post(
                "/v1/models/" + PICTURES + "/predict",
                "image/png",
                Files.readAllBytes(TestModels.IMAGES.resolve("coffee.png")));
        assertEquals(200, picture.statusCode(), picture.body());
        HttpResponse<String> clip = server.post(
                "/v1/models/" + SPEECH + "/predict",
                "audio/wav",
                Files.readAllBytes(TestModels.AUDIO.resolve("digits-16bit.wav")));
        assertEquals(200, clip.statusCode(), clip.body());
        stream();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> ok = server.send(
                    "POST",
                    "/v1/models/package-topics/predict",
                    "{\"inputs\": \"a fast vector graphics editor number " + i + "\"}",
                    "Content-Type",
                    "application/json");
            assertEquals(200, ok.statusCode(), ok.body());
            HttpResponse<String> shadowed = server.send(
                    "POST",
                    "/v1/models/" + VERSIONED + "/predict",
                    "{\"inputs\": \"a text editor for programmers, number " + i + "\"}",
                    "Content-Type",
                    "application/json");
            assertEquals(200, shadowed.statusCode(), shadowed.body());
            assertEquals("1", shadowed.headers().firstValue("X-Model-Version").orElse(null));
        }
        assertEquals(
                400,
                server.send(
                                "POST",
                                "/v1/models/package-topics/predict",
                                "{\"inputs\": 5}",
                                "Content-Type",
                                "application/json")
                        .statusCode());
    }

    /** One live stream of the spoken digits and a second of silence (its utterance ends), then stop. */
    private static void stream() throws Exception {
        float[] speech = io.infera.processing.audio.AudioDecoder.wavOnly(60)
                .decode(Files.readAllBytes(TestModels.AUDIO.resolve("digits-16bit.wav")), "file", 16000)
                .samples();
        java.nio.ByteBuffer pcm =
                java.nio.ByteBuffer.allocate((speech.length + 16000) * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float sample : speech) {
            pcm.putShort((short) Math.round(sample * 32767));
        }
        byte[] bytes = pcm.array();
        List<byte[]> frames = new java.util.ArrayList<>();
        for (int at = 0; at < bytes.length; at += 16000) {
            frames.add(java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 16000)));
        }
        String closing = io.infera.testing.StreamClient.open(server.port(), "model=" + SPEECH)
                .send(frames)
                .stop()
                .closing();
        assertEquals("1000 stopped", closing);
    }

    @Test
    void everyMetricTheDashboardAlertsAndAutoscalerReadIsExposed() throws Exception {
        Set<String> exposed =
                MonitoringFiles.exposedNames(server.get("/q/metrics").body());
        Set<String> missing = new TreeSet<>(MonitoringFiles.allMetricNames());
        missing.removeAll(exposed);
        missing.removeAll(MonitoringFiles.SYNTHETIC);
        assertEquals(Set.of(), missing, "queried but not in /q/metrics");
        assertTrue(
                MonitoringFiles.allMetricNames().size() >= 15,
                MonitoringFiles.allMetricNames().toString());
    }

    @Test
    void prometheusScrapesTheServerAndComputesALatencyQuantile() throws Exception {
        awaitTargetUp();
        // requests spread over more than one scrape, so that rate() has two points to work with
        for (int round = 0; round < 4; round++) {
            traffic(10);
            Thread.sleep(1200);
        }
        String p99 =
                "histogram_quantile(0.99, sum by (le) (rate(infera_request_duration_seconds_bucket{model=\"package-topics\"}[30s])))";
        double seconds = awaitScalar(p99);
        assertTrue(seconds > 0 && seconds < 10, "p99 from Prometheus: " + seconds + " s");
        double count = awaitScalar("sum(infera_requests_total{model=\"package-topics\", outcome=\"success\"})");
        assertTrue(count >= 60, "Prometheus saw " + count + " successful requests");
    }

    @Test
    void everyDashboardQueryRunsAndEveryAlertEvaluates() throws Exception {
        awaitTargetUp();
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, List<String>> panel :
                MonitoringFiles.dashboardQueries().entrySet()) {
            for (String expr : panel.getValue()) {
                JsonNode answer = query(expr);
                if (!answer.path("status").asText().equals("success")) {
                    failed.add(panel.getKey() + ": " + expr + " -> " + answer);
                }
            }
        }
        assertEquals(List.of(), failed);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> unhealthy = List.of("(rules never evaluated)");
        while (System.nanoTime() < deadline) {
            JsonNode groups = get("/api/v1/rules").at("/data/groups");
            List<String> states = new ArrayList<>();
            int evaluated = 0;
            for (JsonNode group : groups) {
                for (JsonNode rule : group.path("rules")) {
                    if (!rule.path("health").asText().equals("ok")) {
                        states.add(rule.path("name").asText() + ": "
                                + rule.path("health").asText() + " "
                                + rule.path("lastError").asText());
                    } else {
                        evaluated++;
                    }
                }
            }
            unhealthy = evaluated == MonitoringFiles.alertExpressions().size()
                    ? states
                    : List.of(evaluated + " rules evaluated ok, " + states);
            if (unhealthy.isEmpty()) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals(List.of(), unhealthy);
        JsonNode firing = get("/api/v1/alerts").at("/data/alerts");
        assertEquals(0, firing.size(), "a healthy server fires no alert: " + firing);
    }

    // --- Prometheus' HTTP API

    private static void awaitTargetUp() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                JsonNode targets = get("/api/v1/targets").at("/data/activeTargets");
                if (targets.size() == 1
                        && targets.get(0).path("health").asText().equals("up")) {
                    return;
                }
                last = targets.toString();
            } catch (IOException notYetListening) {
                last = notYetListening.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Prometheus never scraped the server: " + last + "\n"
                + Files.readString(workDir.resolve("prometheus.log")));
    }

    private static double awaitScalar(String expr) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode answer = null;
        while (System.nanoTime() < deadline) {
            answer = query(expr);
            JsonNode result = answer.at("/data/result");
            if (result.size() == 1) {
                double value = Double.parseDouble(result.get(0).at("/value/1").asText());
                if (Double.isFinite(value)) {
                    return value;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError(expr + " -> " + answer);
    }

    private static JsonNode query(String expr) throws Exception {
        return get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
