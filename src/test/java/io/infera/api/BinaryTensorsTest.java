package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Open Inference Protocol binary data extension, and raw float32 embeddings on the task route. */
@QuarkusTest
class BinaryTensorsTest {

    private static final String HEADER = "Inference-Header-Content-Length";

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    private static byte[] strings(String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String v : values) {
            byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(bytes.length)
                    .array());
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] body(String json, byte[]... binary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        for (byte[] b : binary) {
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static String request(int f32Bytes, int strBytes, boolean binaryOutputs) {
        return """
                {"inputs": [
                  {"name": "x_f32", "shape": [2, 3], "datatype": "FP32", "parameters": {"binary_data_size": %d}},
                  {"name": "x_f16", "shape": [1, 2], "datatype": "FP16", "data": [0.5, -2]},
                  {"name": "x_i64", "shape": [1], "datatype": "INT64", "data": [41]},
                  {"name": "x_i32", "shape": [2, 2], "datatype": "INT32", "data": [1, 2, 3, 4]},
                  {"name": "x_bool", "shape": [2], "datatype": "BOOL", "data": [true, false]},
                  {"name": "x_str", "shape": [2], "datatype": "BYTES", "parameters": {"binary_data_size": %d}}],
                 "parameters": {"binary_data_output": %s}}""".formatted(f32Bytes, strBytes, binaryOutputs);
    }

    @Test
    void binaryInputsAndOutputsRoundTrip() throws Exception {
        byte[] f32 = floats(1, 2, 3, 4, 5, 6.5f);
        byte[] str = strings("a", "é🙂");
        String json = request(f32.length, str.length, true);
        Response response = given().contentType("application/octet-stream")
                .header(HEADER, json.getBytes(StandardCharsets.UTF_8).length)
                .body(body(json, f32, str))
                .post("/v2/models/tensor-ops/infer");
        response.then().statusCode(200).contentType("application/octet-stream");
        byte[] bytes = response.asByteArray();
        int headerLength = Integer.parseInt(response.header(HEADER));
        JsonNode header = TestModels.JSON.readTree(Arrays.copyOf(bytes, headerLength));
        ByteBuffer data = ByteBuffer.wrap(bytes, headerLength, bytes.length - headerLength)
                .slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        JsonNode y = header.get("outputs").get(0);
        assertEquals("y_f32", y.get("name").asText());
        assertEquals(24, y.get("parameters").get("binary_data_size").asInt());
        float[] values = new float[6];
        data.asFloatBuffer().get(values);
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 13}, values);
        data.position(24 + 4 + 8 + 16 + 2); // skip y_f16 (4), y_i64 (8), y_i32 (16), y_bool (2)
        byte[] rest = new byte[data.remaining()];
        data.get(rest);
        assertArrayEquals(str, rest, "BYTES come back length-prefixed");
    }

    @Test
    void outputsCanBeChosenOneByOneAsJsonOrBinary() throws Exception {
        byte[] f32 = floats(1, 2, 3, 4, 5, 6);
        byte[] str = strings("x", "y");
        String json = request(f32.length, str.length, false)
                .replace(
                        "\"parameters\": {\"binary_data_output\": false}",
                        "\"outputs\": [{\"name\": \"y_i64\"}, {\"name\": \"y_f32\", \"parameters\": {\"binary_data\": true}}]");
        Response response = given().contentType("application/octet-stream")
                .header(HEADER, json.getBytes(StandardCharsets.UTF_8).length)
                .body(body(json, f32, str))
                .post("/v2/models/tensor-ops/infer");
        response.then().statusCode(200);
        byte[] bytes = response.asByteArray();
        int headerLength = Integer.parseInt(response.header(HEADER));
        JsonNode header = TestModels.JSON.readTree(Arrays.copyOf(bytes, headerLength));
        assertEquals("y_f32", header.get("outputs").get(0).get("name").asText());
        assertEquals(42, header.get("outputs").get(1).get("data").get(0).asLong());
        assertEquals(headerLength + 24, bytes.length);
    }

    @Test
    void binarySizesAreChecked() {
        byte[] f32 = floats(1, 2, 3, 4, 5, 6);
        byte[] str = strings("a", "b");
        String wrongSize = request(20, str.length, false);
        given().contentType("application/octet-stream")
                .header(HEADER, wrongSize.length())
                .body(body(wrongSize, f32, str))
                .post("/v2/models/tensor-ops/infer")
                .then()
                .statusCode(400)
                .body("field", equalTo("inputs[0].parameters.binary_data_size"));
        String json = request(f32.length, str.length, false);
        given().contentType("application/octet-stream")
                .header(HEADER, json.length())
                .body(body(json, f32, str, new byte[] {9}))
                .post("/v2/models/tensor-ops/infer")
                .then()
                .statusCode(400)
                .body("detail", containsString("not claimed"));
        given().contentType("application/octet-stream")
                .header(HEADER, "99999")
                .body(body(json, f32, str))
                .post("/v2/models/tensor-ops/infer")
                .then()
                .statusCode(400)
                .body("field", equalTo(HEADER));
        given().contentType("application/octet-stream")
                .header(HEADER, json.length())
                .body(body(json, f32))
                .post("/v2/models/tensor-ops/infer")
                .then()
                .statusCode(400)
                .body("detail", containsString("exceeds"));
    }

    @Test
    void embeddingsCanBeRawFloat32() throws Exception {
        String body = "{\"inputs\": [\"hello world\", \"another text\"], \"parameters\": {\"pooling\": \"mean\"}}";
        JsonNode asJson = TestModels.JSON.readTree(given().contentType("application/json")
                .body(body)
                .post("/v1/models/tiny-bert-encoder/predict")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        Response raw = given().contentType("application/json")
                .accept("application/octet-stream")
                .body(body)
                .post("/v1/models/tiny-bert-encoder/predict");
        raw.then().statusCode(200).contentType("application/octet-stream").header("Infera-Shape", "2,32");
        ByteBuffer data = ByteBuffer.wrap(raw.asByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2 * 32 * 4, data.remaining());
        for (int row = 0; row < 2; row++) {
            for (int i = 0; i < 32; i++) {
                assertEquals(asJson.get(row).get(i).floatValue(), data.getFloat(), 0f);
            }
        }
        given().contentType("application/json")
                .accept("application/octet-stream")
                .body("{\"inputs\": \"x\"}")
                .post("/v1/models/tiny-bert-sentiment/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("Accept"));
    }
}
