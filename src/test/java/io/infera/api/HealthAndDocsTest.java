package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kubernetes probes, Prometheus scrape and the OpenAPI document are served. */
@QuarkusTest
class HealthAndDocsTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    @Test
    void readinessListsModelStates() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'models' }.data.'tiny-vit'", equalTo("READY"))
                .body("checks.find { it.name == 'models' }.data.'broken-onnx'", equalTo("FAILED"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusAndOpenApiAreServed() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().get("/q/openapi")
                .then()
                .statusCode(200)
                .body(containsString("/v1/models/{model}/predict"))
                .body(containsString("/v1/completions"))
                .body(containsString("/v1/chat/completions"));
    }
}
