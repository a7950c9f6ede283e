package io.infera.testing;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoublePredicate;

/** Reads samples from the Prometheus scrape at /q/metrics. */
public final class Metrics {

    private Metrics() {}

    public static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The value of the sample with this name whose labels include every {@code key="value"} given,
     * or 0 when there is none yet.
     */
    public static double value(String name, String... labels) {
        return valueIn(scrape(), name, labels);
    }

    public static double valueIn(String scrape, String name, String... labels) {
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** Polls until a sample satisfies the condition (state changes happen on other threads). */
    public static void await(DoublePredicate condition, String name, String... labels) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (condition.test(value(name, labels))) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(name + " " + String.join(",", labels) + " never reached the expected value");
    }
}
