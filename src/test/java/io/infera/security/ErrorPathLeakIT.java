package io.infera.security;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.testing.ServerProcess;
import io.infera.testing.TestModels;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

/**
 * Refusing bad requests must not cost memory: after a warm-up, 100 repetitions of each of 50
 * different rejections (5 from each family of {@link HostileRequests}) grow the server's RSS by
 * less than 32 MiB.
 */
class ErrorPathLeakIT {

    private static final int REPETITIONS = 100;
    private static final long BUDGET = 32L << 20;

    @Test
    void repeatedRejectionsDoNotGrowTheServer() throws Exception {
        List<Arbitrary<HostileRequest>> families = List.of(
                HostileRequests.malformedJson(),
                HostileRequests.wrongContentType(),
                HostileRequests.badStructure(),
                HostileRequests.badParameters(),
                HostileRequests.badTensors(),
                HostileRequests.badImages(),
                HostileRequests.badAudio(),
                HostileRequests.badModelNames(),
                HostileRequests.badTimeouts(),
                HostileRequests.badOpenAi());
        List<HostileRequest> rejections = new ArrayList<>();
        for (Arbitrary<HostileRequest> family : families) {
            family.sampleStream().limit(5).forEach(rejections::add);
        }
        // a fixed, pre-touched heap: the RSS then moves with what a leak would hold outside it (native
        // memory, direct buffers, threads), not with the heap growing to its working size
        try (ServerProcess server =
                ServerProcess.start(TestModels.DIR, List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"))) {
            Map<Integer, Integer> byStatus = new TreeMap<>();
            // warm-up, as long as the measured run: every path JIT-compiled (compiled code and
            // metadata live outside the heap), pools and caches at their working size
            long start = server.rssBytes();
            for (int round = 0; round < REPETITIONS; round++) {
                for (HostileRequest r : rejections) {
                    HostileInputsIT.send(server.port(), r);
                }
            }
            long before = server.rssBytes();
            for (HostileRequest r : rejections) {
                for (int i = 0; i < REPETITIONS; i++) {
                    HttpResponse<String> response = HostileInputsIT.send(server.port(), r);
                    byStatus.merge(response.statusCode(), 1, Integer::sum);
                    assertTrue(
                            response.statusCode() >= 400 && response.statusCode() < 500,
                            response.statusCode() + " for " + r);
                }
            }
            long after = server.rssBytes();
            System.out.printf(
                    "error-path leak check: %d requests, answers by status %s; RSS during the warm-up %d -> %d MiB,"
                            + " then %d -> %d MiB (%+d MiB)%n",
                    rejections.size() * REPETITIONS,
                    byStatus,
                    start >> 20,
                    before >> 20,
                    before >> 20,
                    after >> 20,
                    (after - before) >> 20);
            assertTrue(
                    after - before < BUDGET,
                    "RSS grew by " + ((after - before) >> 20) + " MiB over " + rejections.size() * REPETITIONS
                            + " rejections");
        }
    }
}
