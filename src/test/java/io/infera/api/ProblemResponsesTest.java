package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.infera.errors.BackendException;
import io.infera.errors.ModelNotReadyException;
import io.infera.testing.TestImages;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every error status of the API as an RFC 9457 problem+json body naming what is wrong. */
@QuarkusTest
class ProblemResponsesTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    private static ValidatableResponse predict(String model, String json) {
        return given().contentType("application/json")
                .body(json)
                .post("/v1/models/{m}/predict", model)
                .then();
    }

    private static void assertProblem(ValidatableResponse response, int status, String type) {
        response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("type", equalTo("/problems/" + type))
                .body("title", not(equalTo("")))
                .body("detail", not(containsString("Exception")))
                .body("detail", not(containsString("\tat ")));
    }

    @Test
    void malformedJsonIs400OnTheBody() {
        ValidatableResponse r = predict("tiny-bert-sentiment", "{\"inputs\": ");
        assertProblem(r, 400, "invalid-input");
        r.body("field", equalTo("body"));
    }

    @Test
    void missingOrWrongFieldsAre400NamingTheField() {
        assertProblem(predict("tiny-bert-sentiment", "{\"parameters\": {}}"), 400, "invalid-input");
        predict("tiny-bert-sentiment", "{\"parameters\": {}}").body("field", equalTo("inputs"));
        predict("tiny-bert-sentiment", "{\"inputs\": \"x\", \"parameters\": {\"top_k\": -1}}")
                .statusCode(400)
                .body("field", equalTo("parameters.top_k"));
        predict("tiny-bert-sentiment", "{\"inputs\": \"x\", \"parameters\": {\"topk\": 2}}")
                .statusCode(400)
                .body("field", equalTo("parameters.topk"));
        predict("tiny-bert-sentiment", "{\"inputs\": \"x\", \"parameters\": {\"function_to_apply\": \"tanh\"}}")
                .statusCode(400)
                .body("detail", containsString("softmax, sigmoid, none"));
        predict("tiny-bert-sentiment", "{\"inputs\": [\"ok\", 42]}")
                .statusCode(400)
                .body("field", equalTo("inputs[1]"));
        predict("tiny-bert-sentiment", "{\"inputs\": \"x\", \"extra\": 1}")
                .statusCode(400)
                .body("field", equalTo("extra"));
        predict("tiny-bert-sentiment", "{\"inputs\": []}").statusCode(400).body("field", equalTo("inputs"));
        predict("tiny-vit", "{\"inputs\": \"not base64!\"}").statusCode(400).body("field", equalTo("inputs"));
        predict("tiny-vit", "{\"inputs\": \"https://example.com/cat.png\"}")
                .statusCode(400)
                .body("detail", containsString("URLs are not fetched"));
        predict("tensor-ops", "{\"inputs\": \"x\"}")
                .statusCode(400)
                .body("detail", containsString("/v2/models/tensor-ops/infer"));
    }

    @Test
    void deeplyNestedJsonIsA400NotA500() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertProblem(predict("tiny-bert-sentiment", "{\"inputs\": " + deep + "}"), 400, "invalid-input");
    }

    @Test
    void unknownModelsAndRoutesAre404() {
        assertProblem(predict("no-such-model", "{\"inputs\": \"x\"}"), 404, "model-not-found");
        assertProblem(predict("..%2F..%2Fetc", "{\"inputs\": \"x\"}"), 404, "model-not-found");
        assertProblem(given().get("/v1/nothing-here").then(), 404, "not-found");
    }

    @Test
    void wrongMethodIs405() {
        assertProblem(given().get("/v1/models/tiny-vit/predict").then(), 405, "method-not-allowed");
    }

    @Test
    void aModelThatFailedToLoadIs409WithItsReason() {
        ValidatableResponse r = predict("broken-onnx", "{\"inputs\": \"x\"}");
        assertProblem(r, 409, "model-failed");
        r.body("detail", containsString("Protobuf parsing failed"));
        predict("wants-cuda", "{\"inputs\": \"x\"}").statusCode(409).body("detail", containsString("-Pcuda"));
    }

    @Test
    void overLimitsAre413() {
        assertProblem(
                predict("tiny-bert-sentiment", "{\"inputs\": [" + "\"x\",".repeat(256) + "\"x\"]}"),
                413,
                "payload-too-large");
        predict("tiny-bert-sentiment", "{\"inputs\": [" + "\"x\",".repeat(255) + "\"x\"]}")
                .statusCode(200);
        ValidatableResponse bomb = given().contentType("image/png")
                .body(TestImages.pngHeaderOnly(100_000, 100_000))
                .post("/v1/models/tiny-vit/predict")
                .then();
        assertProblem(bomb, 413, "payload-too-large");
        bomb.body("detail", containsString("pixels"));
    }

    @Test
    void unsupportedMediaTypesAre415() {
        assertProblem(
                given().contentType("text/plain")
                        .body("hello".getBytes())
                        .post("/v1/models/tiny-vit/predict")
                        .then(),
                415,
                "unsupported-media-type");
        assertProblem(
                given().contentType("image/png")
                        .body("not a png".getBytes())
                        .post("/v1/models/tiny-vit/predict")
                        .then(),
                415,
                "unsupported-media-type");
        assertProblem(
                given().contentType("image/png")
                        .body(new byte[] {1, 2, 3})
                        .post("/v1/models/tiny-bert-sentiment/predict")
                        .then(),
                415,
                "unsupported-media-type");
    }

    /** Statuses no test model can provoke on demand, checked on the mapper itself. */
    @Test
    void loadingIs503WithRetryAfterAndBackendFailuresHideTheirCause() {
        ProblemMapper mapper = new ProblemMapper();
        Response loading = mapper.infera(new ModelNotReadyException("model 'm' is still loading", false));
        assertEquals(503, loading.getStatus());
        assertEquals("1", loading.getHeaderString("Retry-After"));
        Response failed = mapper.infera(new BackendException(
                "ONNX Runtime failed to run the model: shape mismatch", new IllegalStateException("native detail")));
        assertEquals(500, failed.getStatus());
        Problem problem = (Problem) failed.getEntity();
        assertFalse(problem.detail().contains("native detail"));
        Response unexpected = mapper.unexpected(new NullPointerException("secret internals"));
        assertFalse(((Problem) unexpected.getEntity()).detail().contains("secret"));
    }

    @Test
    void v2ErrorsAreProblemsToo() {
        given().contentType("application/json")
                .body("{\"inputs\": [{\"name\": \"nope\"}]}")
                .post("/v2/models/tensor-ops/infer")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", startsWith("inputs[0]"));
    }
}
