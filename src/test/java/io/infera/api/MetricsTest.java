package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.testing.Metrics;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The documented meters (docs/monitoring.md): counts match the requests sent, and every histogram has its series. */
@QuarkusTest
class MetricsTest {

    private static final String MODEL = "model=\"tiny-convnext\"";

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    @Test
    void countsMatchTheRequestsSent() throws Exception {
        byte[] png = Files.readAllBytes(TestModels.IMAGES.resolve("astronaut.png"));
        String success = "outcome=\"success\"";
        double before = Metrics.value("infera_requests_total", MODEL, success);
        double batchesBefore = Metrics.value("infera_batch_size_count", MODEL);
        double rowsBefore = Metrics.value("infera_batch_size_sum", MODEL);
        for (int i = 0; i < 5; i++) {
            given().contentType("image/png")
                    .body(png)
                    .post("/v1/models/tiny-convnext/predict")
                    .then()
                    .statusCode(200);
        }
        given().contentType("application/json")
                .body("{\"inputs\": [\"x\"], \"parameters\": {\"top_k\": 0}}")
                .post("/v1/models/tiny-convnext/predict")
                .then()
                .statusCode(400);
        String scrape = Metrics.scrape();
        assertEquals(before + 5, Metrics.valueIn(scrape, "infera_requests_total", MODEL, success));
        assertTrue(Metrics.valueIn(scrape, "infera_requests_total", MODEL, "outcome=\"invalid\"") >= 1);
        assertEquals(rowsBefore + 5, Metrics.valueIn(scrape, "infera_batch_size_sum", MODEL), "rows run");
        assertTrue(Metrics.valueIn(scrape, "infera_batch_size_count", MODEL) > batchesBefore);
        assertTrue(
                Metrics.valueIn(scrape, "infera_request_duration_seconds_count", MODEL, "task=\"image-classification\"")
                        >= before + 5);
    }

    @Test
    void histogramsAndGaugesHaveTheirSeries() {
        given().contentType("application/json")
                .body("{\"inputs\": [\"a few words\", \"and a few more words here\"]}")
                .post("/v1/models/tiny-bert-sentiment/predict")
                .then()
                .statusCode(200);
        String scrape = Metrics.scrape();
        String model = "model=\"tiny-bert-sentiment\"";
        for (String histogram : new String[] {
            "infera_request_duration_seconds",
            "infera_queue_duration_seconds",
            "infera_inference_duration_seconds",
            "infera_batch_size"
        }) {
            assertTrue(scrape.contains(histogram + "_bucket{"), histogram + " has buckets");
            assertTrue(Metrics.valueIn(scrape, histogram + "_count", model) > 0, histogram);
        }
        for (String stage : new String[] {"preprocess", "queue", "inference", "postprocess", "serialize"}) {
            assertTrue(
                    Metrics.valueIn(scrape, "infera_stage_duration_seconds_count", model, "stage=\"" + stage + "\"")
                            > 0,
                    stage);
        }
        assertTrue(scrape.contains("infera_queue_depth{" + model), "queue depth gauge");
        assertEquals(1.0, Metrics.valueIn(scrape, "infera_model_state", model, "state=\"READY\""));
        assertEquals(0.0, Metrics.valueIn(scrape, "infera_model_state", model, "state=\"FAILED\""));
        assertEquals(1.0, Metrics.valueIn(scrape, "infera_model_state", "model=\"broken-onnx\"", "state=\"FAILED\""));
        double real = Metrics.valueIn(scrape, "infera_batch_tokens_total", model, "kind=\"real\"");
        double padded = Metrics.valueIn(scrape, "infera_batch_tokens_total", model, "kind=\"padded\"");
        assertTrue(real > 0 && padded >= real, "padded tokens " + padded + " >= real tokens " + real);
    }

    /** An OpenAI route's refusal is the client's mistake: counted invalid, never as a server error. */
    @Test
    void openAiRefusalsAreCountedAsInvalidNotAsErrors() {
        String invalid = "outcome=\"invalid\"";
        String error = "outcome=\"error\"";
        double invalidBefore = Metrics.value("infera_requests_total", MODEL, invalid);
        double errorsBefore = Metrics.value("infera_requests_total", MODEL, error);
        given().contentType("application/json")
                .body("{\"model\": \"tiny-convnext\", \"input\": \"x\"}")
                .post("/v1/embeddings")
                .then()
                .statusCode(400)
                .body("error.param", org.hamcrest.Matchers.equalTo("model"))
                .body("error.message", org.hamcrest.Matchers.containsString("is an image-classification model"));
        String scrape = Metrics.scrape();
        assertEquals(invalidBefore + 1, Metrics.valueIn(scrape, "infera_requests_total", MODEL, invalid));
        assertEquals(errorsBefore, Metrics.valueIn(scrape, "infera_requests_total", MODEL, error));
    }

    @Test
    void unknownModelNamesShareOneSeries() {
        given().contentType("application/json").body("{\"inputs\": \"x\"}").post("/v1/models/made-up-{n}/predict", 1);
        given().contentType("application/json").body("{\"inputs\": \"x\"}").post("/v1/models/made-up-{n}/predict", 2);
        String scrape = Metrics.scrape();
        assertTrue(!scrape.contains("made-up-"), "client-chosen names never become series");
        assertTrue(
                Metrics.valueIn(scrape, "infera_requests_total", "model=\"_unknown\"", "outcome=\"not_found\"") >= 2);
    }

    @Test
    void rawTensorRequestsAreCountedToo() {
        String model = "model=\"tensor-ops\"";
        String noTask = "task=\"none\"";
        double ok = Metrics.value("infera_requests_total", model, noTask, "outcome=\"success\"");
        double invalid = Metrics.value("infera_requests_total", model, noTask, "outcome=\"invalid\"");
        String body = InferenceProtocolResourceTest.ALL_INPUTS;
        given().contentType("application/json")
                .body(body)
                .post("/v2/models/tensor-ops/infer")
                .then()
                .statusCode(200);
        given().contentType("application/json")
                .body(body)
                .post("/v2/models/tensor-ops/infer")
                .then()
                .statusCode(200);
        given().contentType("application/json")
                .body(body.replace("\"FP32\"", "\"FP64\""))
                .post("/v2/models/tensor-ops/infer")
                .then()
                .statusCode(400);
        String scrape = Metrics.scrape();
        assertEquals(ok + 2, Metrics.valueIn(scrape, "infera_requests_total", model, noTask, "outcome=\"success\""));
        assertEquals(
                invalid + 1, Metrics.valueIn(scrape, "infera_requests_total", model, noTask, "outcome=\"invalid\""));
    }
}
