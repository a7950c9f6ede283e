package io.infera.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.testing.ServerProcess;
import io.infera.testing.TestModels;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload on the packaged server: a burst far over what a model can queue is answered at once,
 * each request with 200 or 429 + Retry-After; clients that give up take their queued work with them.
 * Models: copies of "sleepy" (n rounds of a matmul, one run at a time) with queues of 8 and 2,000.
 */
class OverloadIT {

    private static final int QUEUE = 8;
    private static final int INSTANCES = 1;
    private static final int CLIENTS = 1000;

    @TempDir
    static Path models;

    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        for (String name : List.of("busy", "deep")) {
            TestModels.copyFolder(TestModels.DIR.resolve("sleepy"), models.resolve(name));
            Files.writeString(
                    models.resolve(name).resolve("serving.yaml"),
                    "instances: 1\nbatching: {max_batch_size: 1, max_queue_size: "
                            + (name.equals("busy") ? QUEUE : 2 * CLIENTS) + "}\nonnx: {intra_op_threads: 1}\n");
        }
        // 1,000 clients at once, besides the test's own pooled connections: over the default cap of 1,024
        server = ServerProcess.start(models, "quarkus.http.limits.max-connections=" + 2 * CLIENTS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * Rounds of the matmul that take about this long on this machine (measured once on "deep"): the
     * long runs must stay well under the server's idle timeout (65 s) whatever the machine's speed.
     */
    private static long roundsLasting(Duration target) throws Exception {
        if (roundsPerSecond == 0) {
            long start = System.nanoTime();
            server.postJson("/v2/models/deep/infer", rounds(CALIBRATION_ROUNDS)).get();
            roundsPerSecond = CALIBRATION_ROUNDS / ((System.nanoTime() - start) / 1e9);
        }
        return Math.max(1, Math.round(roundsPerSecond * target.toMillis() / 1000.0));
    }

    private static final long CALIBRATION_ROUNDS = 3_000;
    private static double roundsPerSecond;

    private static String rounds(long n) {
        return "{\"inputs\": [{\"name\": \"n\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [" + n + "]}]}";
    }

    private static double metric(String series) throws Exception {
        for (String line : server.get("/q/metrics").body().split("\n")) {
            boolean match = series.contains("{")
                    ? line.startsWith(series)
                    : line.startsWith(series + " ") || line.startsWith(series + "{");
            if (match) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static void awaitMetric(String series, java.util.function.DoublePredicate until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!until.test(metric(series))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(series + " = " + metric(series));
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aBurstIsAnsweredWith200Or429AndRetryAfter() throws Exception {
        int burst = 4 * (QUEUE + INSTANCES);
        for (int warm = 0; warm < 3; warm++) { // the measured burst meets compiled code and open connections
            List<CompletableFuture<HttpResponse<String>>> warmUp = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                warmUp.add(server.postJson("/v2/models/busy/infer", rounds(500)));
            }
            CompletableFuture.allOf(warmUp.toArray(CompletableFuture[]::new)).join();
        }
        // each answer timed when it arrives, from when its request was sent
        List<CompletableFuture<Map.Entry<HttpResponse<String>, Long>>> answers = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            long sent = System.nanoTime();
            answers.add(server.postJson("/v2/models/busy/infer", rounds(500))
                    .thenApply(answer -> Map.entry(answer, (System.nanoTime() - sent) / 1_000_000)));
        }
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<Long> rejectionMillis = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            HttpResponse<String> answer = answers.get(i).get().getKey();
            long millis = answers.get(i).get().getValue();
            byStatus.merge(answer.statusCode(), 1, Integer::sum);
            assertTrue(
                    answer.statusCode() == 200 || answer.statusCode() == 429 || answer.statusCode() == 503,
                    answer.body());
            if (answer.statusCode() != 200) {
                assertTrue(
                        answer.headers().firstValue("Retry-After").isPresent(),
                        "Retry-After on " + answer.statusCode());
                rejectionMillis.add(millis);
            }
        }
        rejectionMillis.sort(null);
        long p99 =
                rejectionMillis.isEmpty() ? 0 : rejectionMillis.get((int) Math.ceil(0.99 * rejectionMillis.size()) - 1);
        System.out.printf(
                "burst of %d on a model that runs %d and queues %d: %s, rejections answered in p99 %d ms%n",
                burst, INSTANCES, QUEUE, byStatus, p99);
        assertTrue(byStatus.getOrDefault(200, 0) >= QUEUE + INSTANCES, byStatus.toString());
        assertTrue(byStatus.getOrDefault(429, 0) > 0, byStatus.toString());
    }

    /** A request queued behind a long run is answered at its deadline, not when the run ends. */
    @Test
    void aQueuedRequestIsAnsweredAtItsDeadlineWhileTheModelIsBusy() throws Exception {
        CompletableFuture<HttpResponse<String>> running =
                server.postJson("/v2/models/busy/infer", rounds(roundsLasting(Duration.ofSeconds(3))));
        awaitMetric("infera_requests_in_flight", v -> v >= 1);
        Thread.sleep(200); // the long run has left the queue
        long sent = System.nanoTime();
        HttpResponse<String> late = server.send(
                "POST", "/v2/models/busy/infer", rounds(1), "Content-Type", "application/json", "X-Timeout-Ms", "300");
        long millis = (System.nanoTime() - sent) / 1_000_000;
        assertEquals(504, late.statusCode(), late.body());
        assertEquals(200, running.get().statusCode());
        System.out.printf(
                "a request with a 300 ms budget queued behind a run of about 3 s: 504 after %d ms (deadline + %d ms)%n",
                millis, millis - 300);
    }

    @Test
    void clientsThatDisconnectTakeTheirQueuedWorkWithThem() throws Exception {
        long longRunRounds = roundsLasting(Duration.ofSeconds(15)); // calibrated before the runs are counted
        double runsBefore = metric("infera_inference_duration_seconds_count{model=\"deep\"");
        // a run of about 15 s, long enough to queue 1,000 clients behind it
        CompletableFuture<HttpResponse<String>> running = CompletableFuture.supplyAsync(() -> {
            try {
                return server.send(
                        "POST",
                        "/v2/models/deep/infer",
                        rounds(longRunRounds),
                        "Content-Type",
                        "application/json",
                        "X-Timeout-Ms",
                        "300000");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitMetric("infera_queue_duration_seconds_count{model=\"deep\"", v -> v >= 1);
        List<Socket> clients = new ArrayList<>();
        byte[] body = rounds(1).getBytes(StandardCharsets.UTF_8);
        try {
            for (int i = 0; i < CLIENTS; i++) {
                Socket socket = new Socket("localhost", server.port());
                OutputStream out = socket.getOutputStream();
                out.write(
                        ("POST /v2/models/deep/infer HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                        + "Content-Length: " + body.length + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                clients.add(socket);
            }
            awaitMetric("infera_queue_depth{model=\"deep\"", v -> v >= CLIENTS);
            System.out.printf(
                    "%d clients queued behind a long run, in flight %.0f; they disconnect%n",
                    CLIENTS, metric("infera_requests_in_flight"));
        } finally {
            for (Socket socket : clients) {
                socket.close();
            }
        }
        awaitMetric("infera_requests_in_flight", v -> v <= 1);
        assertEquals(200, running.get().statusCode());
        awaitMetric("infera_queue_depth{model=\"deep\"", v -> v == 0);
        awaitMetric("infera_requests_in_flight", v -> v == 0);
        assertEquals(
                runsBefore + 1,
                metric("infera_inference_duration_seconds_count{model=\"deep\""),
                "only the long run ran: the abandoned requests never did");
        assertEquals(CLIENTS, metric("infera_requests_total{model=\"deep\",outcome=\"cancelled\""), 0.5);
    }
}
