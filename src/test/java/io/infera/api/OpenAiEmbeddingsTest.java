package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.HttpPredict;
import io.infera.testing.JsonMatch;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/embeddings}: OpenAI's shape around the predict route's vectors (float and
 * base64), named prompts and the token count as usage; every refusal an OpenAI error object
 * naming the parameter.
 */
@QuarkusTest
class OpenAiEmbeddingsTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    private static ValidatableResponse post(String body) {
        return given().contentType("application/json")
                .body(body)
                .post("/v1/embeddings")
                .then();
    }

    @Test
    void answersInOpenAisShapeWithThePredictRoutesVectors() throws Exception {
        String body = post("{\"model\": \"tiny-st-prompts\", \"input\": [\"a fine day\", \"ok\"],"
                        + " \"prompt_name\": \"passage\", \"user\": \"u-1\"}")
                .statusCode(200)
                .body("object", equalTo("list"))
                .body("model", equalTo("tiny-st-prompts"))
                .body("data[1].object", equalTo("embedding"))
                .body("data[1].index", equalTo(1))
                .extract()
                .asString();
        JsonNode answer = TestModels.JSON.readTree(body);
        JsonNode predicted = HttpPredict.json(
                "tiny-st-prompts",
                TestModels.JSON.createArrayNode().add("a fine day").add("ok"),
                TestModels.JSON.createObjectNode().put("prompt_name", "passage"));
        JsonMatch.assertMatches(predicted.get(0), answer.path("data").get(0).path("embedding"), 1e-7);
        JsonMatch.assertMatches(predicted.get(1), answer.path("data").get(1).path("embedding"), 1e-7);
        // "passage: " + text, each with [CLS] and [SEP]
        int tokens = answer.path("usage").path("prompt_tokens").asInt();
        assertEquals(tokens, answer.path("usage").path("total_tokens").asInt());
        assertEquals(true, tokens >= 2 * 5, answer.toString());
    }

    @Test
    void base64IsLittleEndianFloat32OfTheSameVector() throws Exception {
        JsonNode floats = TestModels.JSON.readTree(post("{\"model\": \"tiny-st-short\", \"input\": \"a fine day\"}")
                .statusCode(200)
                .extract()
                .asString());
        String encoded =
                post("{\"model\": \"tiny-st-short\", \"input\": \"a fine day\", \"encoding_format\": \"base64\"}")
                        .statusCode(200)
                        .extract()
                        .path("data[0].embedding");
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
        JsonNode vector = floats.path("data").get(0).path("embedding");
        assertEquals(vector.size() * 4, bytes.remaining());
        for (int i = 0; i < vector.size(); i++) {
            assertEquals((float) vector.get(i).asDouble(), bytes.getFloat(), 0f);
        }
    }

    @Test
    void tokenIdListsAreInputsOfTheirOwn() {
        post("{\"model\": \"tiny-st-short\", \"input\": [[2, 40, 3], [2, 41, 42, 3]]}")
                .statusCode(200)
                .body("data.size()", equalTo(2))
                .body("usage.prompt_tokens", equalTo(7));
        post("{\"model\": \"tiny-st-short\", \"input\": [2, 40, 3]}")
                .statusCode(200)
                .body("data.size()", equalTo(1))
                .body("usage.prompt_tokens", equalTo(3));
    }

    @Test
    void refusalsAreOpenAiErrorObjectsNamingTheParameter() {
        refused("{\"model\": \"tiny-st-short\", \"input\": []}", 400, "input", "non-empty");
        refused("{\"model\": \"tiny-st-short\", \"input\": \"\"}", 400, "input", "empty string");
        refused("{\"model\": \"tiny-st-short\", \"input\": [\"ok\", 5]}", 400, "input[1]", "string");
        refused("{\"model\": \"tiny-st-short\", \"input\": [2, 1000]}", 400, "input[1]", "vocabulary");
        refused("{\"model\": \"tiny-st-short\", \"input\": [[2, 3], [7, -1]]}", 400, "input[1][1]", "vocabulary");
        refused("{\"model\": \"no-such-model\", \"input\": \"ok\"}", 404, "model", "no-such-model");
        refused("{\"model\": \"tiny-bert-sentiment\", \"input\": \"ok\"}", 400, "model", "feature-extraction");
        refused("{\"model\": \"tiny-st-prompts\", \"input\": \"ok\", \"dimensions\": 64}", 400, "dimensions", "32");
        refused(
                "{\"model\": \"tiny-st-short\", \"input\": \"ok\", \"dimensions\": 8}",
                400,
                "dimensions",
                "matryoshka");
        refused(
                "{\"model\": \"tiny-st-short\", \"input\": \"ok\", \"encoding_format\": \"int8\"}",
                400,
                "encoding_format",
                "base64");
        refused("{\"model\": \"tiny-st-short\", \"input\": \"ok\", \"seed\": 1}", 400, "seed", "unrecognized");
        refused(
                "{\"model\": \"tiny-st-prompts\", \"input\": \"ok\", \"prompt_name\": \"x\"}",
                400,
                "prompt_name",
                "query");
        String longText = "Permission is hereby granted, free of charge, to any person obtaining a copy";
        refused(
                "{\"model\": \"tiny-st-short\", \"input\": [\"ok\", \"" + longText + "\"], \"truncate\": false}",
                400,
                "input[1]",
                "limit of 8");
    }

    private static void refused(String body, int status, String param, String message) {
        post(body)
                .statusCode(status)
                .contentType("application/json")
                .body("error.param", equalTo(param))
                .body("error.message", containsString(message));
    }
}
