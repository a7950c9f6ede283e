package io.infera.runtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.HttpPredict;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same tiny models exported by fixtures/make_test_models.py as ONNX and as TorchScript answer the
 * same through every task endpoint (within 1e-5), for every reference input of every landed task.
 * The ONNX answers are themselves checked against the transformers pipelines by the parity tests.
 */
@QuarkusTest
class TorchScriptParityTest {

    private static final double BACKEND_TOLERANCE = 1e-5;

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    static Stream<ReferenceCase> cases() {
        return Stream.of(
                        "text-classification.json",
                        "feature-extraction.json",
                        "image-classification.json",
                        "token-classification.json",
                        "fill-mask.json",
                        "zero-shot-classification.json",
                        "question-answering.json",
                        "multiple-choice.json")
                .flatMap(file -> ReferenceCase.load(file).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void torchScriptAnswersAsOnnxDoes(ReferenceCase c) {
        JsonNode onnx = predict(c.model(), c);
        JsonNode torchscript = predict(c.model() + "-torchscript", c);
        JsonMatch.assertMatches(onnx, torchscript, BACKEND_TOLERANCE);
    }

    private static JsonNode predict(String model, ReferenceCase c) {
        boolean image = c.model().contains("vit") || c.model().contains("convnext");
        return image
                ? HttpPredict.fileWithParameters(
                        model, TestModels.IMAGES.resolve(c.inputs().asText()), c.parameters())
                : HttpPredict.json(model, c.inputs(), c.parameters());
    }

    @Test
    void modelsListShowTheBackend() {
        given().get("/v1/models/tiny-bert-sentiment-torchscript")
                .then()
                .statusCode(200)
                .body("backend", equalTo("torchscript"))
                .body("state", equalTo("READY"))
                .body("task", equalTo("text-classification"))
                .body("inputs.name", hasItems("input_ids", "token_type_ids", "attention_mask"))
                .body("outputs[0].shape", org.hamcrest.Matchers.contains(-1, 3));
        given().get("/v1/models/tiny-bert-sentiment").then().body("backend", equalTo("onnxruntime"));
    }

    @Test
    void untrustedAndBrokenArchivesAreFailedWithTheirReasons() {
        given().get("/v1/models/untrusted-torchscript")
                .then()
                .statusCode(200)
                .body("state", equalTo("FAILED"))
                .body("reason", containsString("set trust: true"));
        given().get("/v1/models/broken-torchscript")
                .then()
                .statusCode(200)
                .body("state", equalTo("FAILED"))
                .body("reason", containsString("libtorch cannot load model.pt"));
        given().contentType("application/json")
                .body("{\"inputs\": \"x\"}")
                .post("/v1/models/untrusted-torchscript/predict")
                .then()
                .statusCode(409)
                .body("detail", containsString("trust: true"));
    }

    @Test
    void rawTensorsRunOnAScriptedModule() {
        String body = """
                {"inputs": [
                  {"name": "x_f32", "shape": [1, 3], "datatype": "FP32", "data": [1, 2, 3.5]},
                  {"name": "x_i64", "shape": [2], "datatype": "INT64", "data": [1, 9007199254740993]},
                  {"name": "x_bool", "shape": [1], "datatype": "BOOL", "data": [true]}]}""";
        given().contentType("application/json")
                .body(body)
                .post("/v2/models/tensor-ops-torchscript/infer")
                .then()
                .statusCode(200)
                .body("outputs.name", org.hamcrest.Matchers.contains("y_f32", "y_i64", "y_bool"))
                .body("outputs[0].data", org.hamcrest.Matchers.contains(2.0, 4.0, 7.0))
                .body("outputs[1].data[1]", equalTo(9007199254740994L))
                .body("outputs[2].data", org.hamcrest.Matchers.contains(false));
        given().contentType("application/json")
                .body(body.replace("\"INT64\"", "\"INT32\""))
                .post("/v2/models/tensor-ops-torchscript/infer")
                .then()
                .statusCode(400)
                .body("field", equalTo("inputs[1].datatype"));
    }
}
