package io.infera.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.errors.InvalidInputException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class TrafficPolicyTest {

    private static final List<String> BOTH = List.of("2", "1");

    @Test
    void aSplitLandsWithinBinomialBoundsOfItsWeights() {
        TrafficPolicy policy = new TrafficPolicy(Map.of("1", 90, "2", 10), null).checked(BOTH);
        RandomGenerator random = new SplittableRandom(7);
        int toTwo = 0;
        for (int i = 0; i < 2000; i++) {
            toTwo += policy.primary(BOTH, "2", null, random).equals("2") ? 1 : 0;
        }
        // mean 200, standard deviation sqrt(2000 * 0.1 * 0.9) = 13.4: five of them either side
        assertTrue(toTwo > 133 && toTwo < 267, toTwo + " of 2000 went to version 2");
    }

    @Test
    void keysSpreadByTheWeightsAndEachKeyKeepsItsVersion() {
        TrafficPolicy policy = new TrafficPolicy(Map.of("1", 90, "2", 10), null);
        RandomGenerator random = new SplittableRandom(1);
        int toTwo = 0;
        for (int user = 0; user < 2000; user++) {
            String first = policy.primary(BOTH, "2", "user-" + user, random);
            for (int again = 0; again < 3; again++) {
                assertEquals(first, policy.primary(BOTH, "2", "user-" + user, random));
            }
            toTwo += first.equals("2") ? 1 : 0;
        }
        assertTrue(toTwo > 133 && toTwo < 267, toTwo + " of 2000 keys went to version 2");
    }

    @Test
    void theHashIsFixedAcrossProcesses() {
        // the same key must land on the same version on every replica and after restarts
        assertEquals(RoutingKey.hash("user-42"), RoutingKey.hash("user-42"));
        // FNV-1a 64 then the MurmurHash3 finaliser, computed independently in Python
        assertEquals(-6659360640848290163L, RoutingKey.hash("user-42"));
    }

    @Test
    void aVersionThatIsNotReadyDropsOutOfTheSplit() {
        TrafficPolicy policy = new TrafficPolicy(Map.of("1", 50, "2", 50), null);
        RandomGenerator random = new SplittableRandom(3);
        for (int i = 0; i < 100; i++) {
            assertEquals("1", policy.primary(List.of("1"), "1", null, random));
        }
        assertEquals("3", policy.primary(List.of("3"), "3", null, random), "no split version ready: the default");
    }

    @Test
    void theShadowCopiesItsSampleAndNeverItsOwnRequests() {
        TrafficPolicy policy = new TrafficPolicy(Map.of("1", 100), new TrafficPolicy.Shadow("2", 0.25)).checked(BOTH);
        RandomGenerator random = new SplittableRandom(5);
        int copies = 0;
        for (int i = 0; i < 4000; i++) {
            copies += policy.shadowOf("1", BOTH, random).isPresent() ? 1 : 0;
        }
        assertTrue(copies > 850 && copies < 1150, copies + " copies of 4000 at 25%");
        assertEquals(Optional.empty(), policy.shadowOf("2", BOTH, random), "a request version 2 answers");
        assertEquals(Optional.empty(), policy.shadowOf("1", List.of("1"), random), "version 2 not ready");
    }

    @Test
    void aPolicyThatNamesAVersionNotServedIsRefusedNamingTheField() {
        InvalidInputException split =
                assertThrows(InvalidInputException.class, () -> new TrafficPolicy(Map.of("3", 10), null).checked(BOTH));
        assertEquals("split.3", split.field());
        InvalidInputException zero =
                assertThrows(InvalidInputException.class, () -> new TrafficPolicy(Map.of("1", 0), null).checked(BOTH));
        assertEquals("split", zero.field());
        InvalidInputException sample = assertThrows(
                InvalidInputException.class,
                () -> new TrafficPolicy(Map.of(), new TrafficPolicy.Shadow("2", 1.5)).checked(BOTH));
        assertEquals("shadow.sample", sample.field());
        InvalidInputException shadow = assertThrows(
                InvalidInputException.class,
                () -> new TrafficPolicy(Map.of(), new TrafficPolicy.Shadow("9", 1.0)).checked(BOTH));
        assertEquals("shadow.version", shadow.field());
    }
}
