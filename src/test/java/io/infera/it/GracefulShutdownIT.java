package io.infera.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.testing.ServerProcess;
import io.infera.testing.TestModels;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged server: what is running and queued finishes with 200, nothing new is
 * taken, and the process exits within its grace period.
 */
class GracefulShutdownIT {

    private static String sleepy(long rounds) {
        return "{\"inputs\": [{\"name\": \"n\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [" + rounds + "]}]}";
    }

    /** Rounds of sleepy that take about this long on this machine, measured by one short run (whose queue time counts once). */
    private static long roundsLasting(ServerProcess server, Duration target) throws Exception {
        long calibration = 1_000;
        long start = System.nanoTime();
        assertEquals(
                200,
                server.postJson("/v2/models/sleepy/infer", sleepy(calibration))
                        .get()
                        .statusCode());
        double perSecond = calibration / ((System.nanoTime() - start) / 1e9);
        return Math.max(1, Math.round(perSecond * target.toMillis() / 1000.0));
    }

    @Test
    void sigtermTakesTheServerOutOfReadinessDrainsQueuedWorkThenExits() throws Exception {
        try (ServerProcess server = ServerProcess.start(
                TestModels.DIR,
                "quarkus.shutdown.delay=1s",
                "quarkus.shutdown.timeout=20s",
                "infera.shutdown-grace=20s")) {
            long longRun = roundsLasting(server, Duration.ofSeconds(6));
            CompletableFuture<HttpResponse<String>> running =
                    server.postJson("/v2/models/sleepy/infer", sleepy(longRun));
            awaitMetric(server, "infera_queue_duration_seconds_count{model=\"sleepy\"", 2);
            CompletableFuture<HttpResponse<String>> queued = server.postJson("/v2/models/sleepy/infer", sleepy(100));
            awaitMetric(server, "infera_queue_depth{model=\"sleepy\"", 1);

            long signalled = System.nanoTime();
            server.terminate();

            assertTrue(awaitStatus(server, "/v2/health/ready", 503), "readiness goes down first:\n" + server.log());
            long down = (System.nanoTime() - signalled) / 1_000_000;
            assertTrue(down < 1000, "readiness answered 503 " + down + " ms after SIGTERM (limit 1 s)");
            assertEquals(503, server.get("/q/health/ready").statusCode(), "the Kubernetes probe too");
            assertEquals(200, running.get().statusCode(), running.get().body());
            assertEquals(200, queued.get().statusCode(), queued.get().body());
            assertTrue(server.awaitExit(Duration.ofSeconds(20)), "exits within its grace period");
            assertEquals(143, server.exitCode(), "the JVM's SIGTERM exit, after its shutdown hooks ran");
        }
    }

    @Test
    void afterTheReadinessDelayNewRequestsAreRefused() throws Exception {
        try (ServerProcess server =
                ServerProcess.start(TestModels.DIR, "quarkus.shutdown.delay=500ms", "quarkus.shutdown.timeout=20s")) {
            long longRun = roundsLasting(server, Duration.ofSeconds(8));
            CompletableFuture<HttpResponse<String>> running =
                    server.postJson("/v2/models/sleepy/infer", sleepy(longRun));
            awaitMetric(server, "infera_queue_duration_seconds_count{model=\"sleepy\"", 2);
            server.terminate();
            // The long run keeps the server draining; after the delay a new request is refused (503, or
            // the listener is already closed), never queued: Infera refuses it, as Quarkus serves new
            // HTTP/1.1 requests while it waits for those in flight.
            assertTrue(awaitRefused(server, "/v1/models"), "new requests are refused while draining:\n" + server.log());
            assertEquals(200, running.get().statusCode());
            assertTrue(server.awaitExit(Duration.ofSeconds(20)));
        }
    }

    /** Polls a route until it answers 503 or stops accepting connections (or for 5 s). */
    private static boolean awaitRefused(ServerProcess server, String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (server.get(path).statusCode() == 503) {
                    return true;
                }
            } catch (java.io.IOException e) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Polls a route until it answers the status (or for 5 s); connection errors count as not yet. */
    private static boolean awaitStatus(ServerProcess server, String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (server.get(path).statusCode() == status) {
                    return true;
                }
            } catch (java.io.IOException e) {
                // not answering yet
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static void awaitMetric(ServerProcess server, String prefix, double atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : server.get("/q/metrics").body().split("\n")) {
                if (line.startsWith(prefix)
                        && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= atLeast) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError(prefix + " never reached " + atLeast);
    }
}
