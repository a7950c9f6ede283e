package io.infera.testing;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;
import java.time.Duration;
import java.time.Instant;

/** Helpers for tests against the running server. */
public final class TestServer {

    private TestServer() {}

    /** Models load in the background after start; wait until the server reports ready. */
    public static void awaitReady() {
        // JSON numbers as doubles, so that scores compare with closeTo(double, tolerance).
        RestAssured.config =
                RestAssured.config().jsonConfig(JsonConfig.jsonConfig().numberReturnType(NumberReturnType.DOUBLE));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (given().get("/v2/health/ready").statusCode() == 200) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("server not ready after 60 s");
    }
}
