package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infera.testing.Metrics;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher's limits over HTTP, on the "sleepy" model (n rounds of a matmul; one run at a time,
 * one request waiting at most): a full queue answers 429, a passed deadline 504 without running.
 */
@QuarkusTest
class QueueLimitsTest {

    private static final String SLEEPY = "model=\"sleepy\"";

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    /** Each request on its own thread: the common pool has a single thread on a 2-core machine. */
    private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();

    private static CompletableFuture<Response> infer(long rounds, String timeoutMs) {
        return CompletableFuture.supplyAsync(
                () -> {
                    var request = given().contentType("application/json")
                            .body("{\"inputs\": [{\"name\": \"n\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": ["
                                    + rounds + "]}]}");
                    if (timeoutMs != null) {
                        request.header(RequestTimeout.HEADER, timeoutMs);
                    }
                    return request.post("/v2/models/sleepy/infer");
                },
                CLIENTS);
    }

    /** Starts a long run and returns once the batcher has taken it off the queue. */
    private static CompletableFuture<Response> occupyTheOnlyInstance() {
        double started = Metrics.value("infera_queue_duration_seconds_count", SLEEPY);
        CompletableFuture<Response> running = infer(12_000, null);
        Metrics.await(v -> v >= started + 1, "infera_queue_duration_seconds_count", SLEEPY);
        return running;
    }

    @Test
    void aFullQueueAnswers429WithRetryAfter() {
        CompletableFuture<Response> running = occupyTheOnlyInstance();
        CompletableFuture<Response> waiting = infer(1, null);
        Metrics.await(v -> v >= 1, "infera_queue_depth", SLEEPY);
        given().contentType("application/json")
                .body("{\"inputs\": [{\"name\": \"n\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [1]}]}")
                .post("/v2/models/sleepy/infer")
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("1"))
                .body("type", equalTo("/problems/overloaded"));
        assertEquals(200, running.join().statusCode());
        assertEquals(200, waiting.join().statusCode());
    }

    /**
     * A run of a million rounds (minutes) with a 300 ms budget: ONNX Runtime's terminate flag stops
     * it at the deadline, so the next request runs at once on the same session instead of waiting
     * behind it (it would pass its own 60 s default deadline).
     */
    @Test
    void aRunPastItsDeadlineIsStoppedAndTheSessionKeepsWorking() {
        Metrics.await(v -> v == 0, "infera_queue_depth", SLEEPY);
        double runsBefore = Metrics.value("infera_inference_duration_seconds_count", SLEEPY);
        Response stopped = infer(1_000_000, "300").join();
        assertEquals(504, stopped.statusCode());
        stopped.then().contentType("application/problem+json").body("type", equalTo("/problems/deadline-exceeded"));
        assertEquals(200, infer(3, null).join().statusCode());
        assertEquals(
                runsBefore + 1,
                Metrics.value("infera_inference_duration_seconds_count", SLEEPY),
                "only the short run completed");
    }

    @Test
    void aRequestPastItsDeadlineGets504AndNeverRuns() {
        CompletableFuture<Response> running = occupyTheOnlyInstance();
        double runsBefore = Metrics.value("infera_inference_duration_seconds_count", SLEEPY);
        Response late = infer(1, "100").join();
        assertEquals(504, late.statusCode());
        late.then()
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/deadline-exceeded"))
                .body("detail", containsString("deadline"));
        assertEquals(200, running.join().statusCode());
        Metrics.await(v -> v == 0, "infera_queue_depth", SLEEPY);
        // Only the long run finished a backend call: the expired request was dropped unrun.
        assertEquals(runsBefore + 1, Metrics.value("infera_inference_duration_seconds_count", SLEEPY));
    }

    @Test
    void timeoutHeadersAreValidated() {
        given().contentType("application/json")
                .header(RequestTimeout.HEADER, "soon")
                .body("{\"inputs\": \"x\"}")
                .post("/v1/models/tiny-bert-sentiment/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo(RequestTimeout.HEADER));
        given().contentType("application/json")
                .body("{\"inputs\": \"x\", \"parameters\": {\"timeout_ms\": 0}}")
                .post("/v1/models/tiny-bert-sentiment/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("parameters.timeout_ms"));
        given().contentType("application/json")
                .body("{\"inputs\": \"x\", \"parameters\": {\"timeout_ms\": 5000}}")
                .post("/v1/models/tiny-bert-sentiment/predict")
                .then()
                .statusCode(200);
    }
}
