package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Open Inference Protocol REST routes on raw-tensor models. */
@QuarkusTest
class InferenceProtocolResourceTest {

    static final String ALL_INPUTS = """
            {"id": "req-1", "inputs": [
              {"name": "x_f32", "shape": [2, 3], "datatype": "FP32", "data": [[1, 2, 3], [4, 5, 6.5]]},
              {"name": "x_f16", "shape": [1, 2], "datatype": "FP16", "data": [0.5, -2]},
              {"name": "x_i64", "shape": [2], "datatype": "INT64", "data": [1, 9007199254740993]},
              {"name": "x_i32", "shape": [2, 2], "datatype": "INT32", "data": [1, 2, 3, 4]},
              {"name": "x_bool", "shape": [2], "datatype": "BOOL", "data": [true, false]},
              {"name": "x_str", "shape": [2], "datatype": "BYTES", "data": ["a", "é🙂"]}]}""";

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    private static ValidatableResponse infer(String path, String body) {
        return given().contentType("application/json").body(body).post(path).then();
    }

    @Test
    void serverMetadataAndHealth() {
        given().get("/v2").then().statusCode(200).body("name", equalTo("infera"));
        given().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        given().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
    }

    @Test
    void modelMetadataListsTensorsWithFreeDimensions() {
        given().get("/v2/models/tensor-ops")
                .then()
                .statusCode(200)
                .body("name", equalTo("tensor-ops"))
                .body("versions", contains("1"))
                .body("platform", equalTo("onnxruntime_onnx"))
                .body("inputs[0].name", equalTo("x_f32"))
                .body("inputs[0].datatype", equalTo("FP32"))
                .body("inputs[0].shape", contains(-1, 3))
                .body("outputs.name", contains("y_f32", "y_f16", "y_i64", "y_i32", "y_bool", "y_str"));
        given().get("/v2/models/tensor-ops/ready").then().statusCode(200).body("ready", equalTo(true));
        given().get("/v2/models/versioned/versions/2").then().statusCode(200).body("versions", contains("2"));
        given().get("/v2/models/versioned/versions/2/ready").then().statusCode(200);
        given().get("/v2/models/versioned/versions/1/ready").then().statusCode(404);
        given().get("/v2/models/broken-onnx/ready").then().statusCode(409);
        given().get("/v2/models/nothing/ready").then().statusCode(404);
    }

    @Test
    void inferRunsEveryDatatype() {
        infer("/v2/models/tensor-ops/infer", ALL_INPUTS)
                .statusCode(200)
                .body("model_name", equalTo("tensor-ops"))
                .body("model_version", equalTo("1"))
                .body("id", equalTo("req-1"))
                .body("outputs", hasSize(6))
                .body("outputs[0].name", equalTo("y_f32"))
                .body("outputs[0].shape", contains(2, 3))
                .body("outputs[0].data", contains(2.0, 4.0, 6.0, 8.0, 10.0, 13.0))
                .body("outputs[1].datatype", equalTo("FP16"))
                .body("outputs[1].data", contains(0.5, -2.0))
                .body("outputs[2].data[1]", equalTo(9007199254740994L))
                .body("outputs[3].data", contains(2, 3, 4, 5))
                .body("outputs[4].data", contains(false, true))
                .body("outputs[5].data", contains("a", "é🙂"));
    }

    @Test
    void versionsAreAddressable() {
        // versioned/2 multiplies by 3, pinned/1 by 1.
        infer("/v2/models/versioned/versions/2/infer", ALL_INPUTS)
                .statusCode(200)
                .body("model_version", equalTo("2"))
                .body("outputs[0].data[0]", equalTo(3.0));
        infer("/v2/models/pinned/infer", ALL_INPUTS)
                .statusCode(200)
                .body("model_version", equalTo("1"))
                .body("outputs[0].data[0]", equalTo(1.0));
        infer("/v2/models/versioned/versions/1/infer", ALL_INPUTS).statusCode(404);
    }

    @Test
    void requestedOutputsOnly() {
        infer("/v2/models/tensor-ops/infer", ALL_INPUTS.replace("]}", "], \"outputs\": [{\"name\": \"y_bool\"}]}"))
                .statusCode(200)
                .body("outputs", hasSize(1))
                .body("outputs[0].name", equalTo("y_bool"));
        infer("/v2/models/tensor-ops/infer", ALL_INPUTS.replace("]}", "], \"outputs\": [{\"name\": \"zzz\"}]}"))
                .statusCode(400)
                .body("field", equalTo("outputs[0].name"));
    }

    @Test
    void shapesDatatypesAndCountsAreChecked() {
        infer("/v2/models/tensor-ops/infer", ALL_INPUTS.replace("\"FP32\"", "\"FP64\""))
                .statusCode(400)
                .body("field", equalTo("inputs[0].datatype"))
                .body("detail", containsString("is FP32"));
        infer("/v2/models/tensor-ops/infer", ALL_INPUTS.replace("\"FP32\"", "\"FLOAT\""))
                .statusCode(400)
                .body("detail", containsString("unknown datatype"));
        infer("/v2/models/tensor-ops/infer", ALL_INPUTS.replace("[2, 3]", "[3, 2]"))
                .statusCode(400)
                .body("field", equalTo("inputs[0].shape"));
        infer("/v2/models/tensor-ops/infer", ALL_INPUTS.replace("[1, 2, 3, 4]", "[1, 2, 3]"))
                .statusCode(400)
                .body("field", equalTo("inputs[3].data"))
                .body("detail", containsString("needs 4 elements"));
        infer("/v2/models/tensor-ops/infer", ALL_INPUTS.replace("[true, false]", "[1, 0]"))
                .statusCode(400)
                .body("field", equalTo("inputs[4].data"));
        infer("/v2/models/tensor-ops/infer", ALL_INPUTS.replace("[1, 2, 3, 4]", "[1, 2, 3, 4.5]"))
                .statusCode(400)
                .body("detail", containsString("integers"));
        infer("/v2/models/tensor-ops/infer", ALL_INPUTS.replace("[1, 2, 3, 4]", "[1, 2, 3, 2147483648]"))
                .statusCode(400)
                .body("field", equalTo("inputs[3].data"));
        infer(
                        "/v2/models/tensor-ops/infer",
                        ALL_INPUTS
                                .replace(
                                        "{\"name\": \"x_str\", \"shape\": [2], \"datatype\": \"BYTES\", \"data\": [\"a\", \"é🙂\"]}",
                                        "")
                                .replace("\"data\": [true, false]},", "\"data\": [true, false]}"))
                .statusCode(400)
                .body("detail", containsString("'x_str' is missing"));
        infer("/v2/models/tensor-ops/infer", "not json").statusCode(400).body("field", equalTo("body"));
        infer("/v2/models/tensor-ops/infer", "{\"inputs\": 3}").statusCode(400).body("field", equalTo("inputs"));
    }

    @Test
    void taskModelsAlsoTakeRawTensors() {
        infer("/v2/models/tiny-bert-sentiment/infer", """
                {"inputs": [
                  {"name": "input_ids", "shape": [1, 3], "datatype": "INT64", "data": [2, 42, 3]},
                  {"name": "token_type_ids", "shape": [1, 3], "datatype": "INT64", "data": [0, 0, 0]},
                  {"name": "attention_mask", "shape": [1, 3], "datatype": "INT64", "data": [1, 1, 1]}]}""")
                .statusCode(200)
                .body("outputs[0].name", equalTo("logits"))
                .body("outputs[0].shape", contains(1, 3));
    }
}
