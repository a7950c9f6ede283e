package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/models/{m}/tokenize} and {@code /detokenize}: the ids of the tokenizers library on the
 * model's tokenizer.json (untruncated, with or without special tokens), offsets in code points,
 * the count beside the model's limit; ids back to text; refusals as problem+json naming the field.
 */
@QuarkusTest
class TokenizeResourceTest {

    private static final String TEXT = "Ada 😀 lives in Paris, far from Zürich";

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    private static ValidatableResponse post(String model, String route, String body) {
        return given().contentType("application/json")
                .body(body)
                .post("/v1/models/{m}/" + route, model)
                .then();
    }

    @Test
    void tokenizesAsTheTokenizersLibraryWithCodePointOffsets() throws Exception {
        JsonNode answer = TestModels.JSON.readTree(
                post("tiny-st-short", "tokenize", "{\"inputs\": " + TestModels.JSON.writeValueAsString(TEXT) + "}")
                        .statusCode(200)
                        .extract()
                        .asString());
        try (HuggingFaceTokenizer reference = HuggingFaceTokenizer.newInstance(
                TestModels.DIR.resolve("tiny-st-short/tokenizer.json"), Map.of("truncation", "false"))) {
            long[] ids = reference.encode(TEXT).getIds();
            assertEquals(ids.length, answer.path("count").asInt());
            for (int i = 0; i < ids.length; i++) {
                assertEquals(ids[i], answer.path("ids").get(i).asLong());
            }
        }
        // tiny-st-short's sentence_bert_config.json cuts at 8; the count is the whole text's
        assertEquals(8, answer.path("max_tokens").asInt());
        int[] codePoints = TEXT.codePoints().toArray();
        JsonNode offsets = answer.path("offsets");
        assertEquals(true, offsets.get(0).isNull(), "[CLS] has no offsets");
        for (int i = 1; i < offsets.size() - 1; i++) {
            String token = answer.path("tokens").get(i).asText().replace("##", "");
            String slice = new String(
                    codePoints,
                    offsets.get(i).get(0).asInt(),
                    offsets.get(i).get(1).asInt() - offsets.get(i).get(0).asInt());
            if (!token.equals("[UNK]")) {
                assertEquals(token, slice, "token " + i);
            }
        }
    }

    @Test
    void specialTokensOnRequestAndListsOfTexts() {
        post("tiny-st-short", "tokenize", "{\"inputs\": [\"Paris\", \"far\"], \"add_special_tokens\": false}")
                .statusCode(200)
                .body("size()", equalTo(2))
                .body("[0].tokens", not(hasItem("[CLS]")))
                .body("[0].offsets[0][0]", equalTo(0))
                .body("[1].tokens", not(hasItem("[SEP]")));
    }

    @Test
    void idsBackToText() {
        JsonNode ids = TestModels.JSON.valueToTree(given().contentType("application/json")
                .body("{\"inputs\": \"far from Paris\"}")
                .post("/v1/models/tiny-st-short/tokenize")
                .then()
                .extract()
                .path("ids"));
        post("tiny-st-short", "detokenize", "{\"ids\": " + ids + ", \"skip_special_tokens\": true}")
                .statusCode(200)
                .body("text", equalTo("far from Paris"));
        post("tiny-st-short", "detokenize", "{\"ids\": [" + ids + ", " + ids + "]}")
                .statusCode(200)
                .body("size()", equalTo(2))
                .body("[1].text", containsString("[CLS]"));
    }

    @Test
    void refusalsNameTheField() {
        refused("tiny-st-short", "tokenize", "{\"inputs\": 5}", 400, "inputs");
        refused("tiny-st-short", "tokenize", "{\"inputs\": []}", 400, "inputs");
        refused("tiny-st-short", "tokenize", "{\"inputs\": [\"a\", 5]}", 400, "inputs[1]");
        refused(
                "tiny-st-short",
                "tokenize",
                "{\"inputs\": \"a\", \"add_special_tokens\": \"no\"}",
                400,
                "add_special_tokens");
        refused("tiny-st-short", "tokenize", "{\"inputs\": \"a\", \"truncate\": true}", 400, "truncate");
        refused("tiny-vit", "tokenize", "{\"inputs\": \"a\"}", 400, "model");
        refused("tiny-st-short", "detokenize", "{\"ids\": [2, 1000]}", 400, "ids[1]");
        refused("tiny-st-short", "detokenize", "{\"ids\": [[2], [-1]]}", 400, "ids[1][0]");
        refused("tiny-st-short", "detokenize", "{\"ids\": \"2 3\"}", 400, "ids");
        given().contentType("application/json")
                .body("{\"inputs\": \"a\"}")
                .post("/v1/models/no-such-model/tokenize")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    private static void refused(String model, String route, String body, int status, String field) {
        post(model, route, body)
                .statusCode(status)
                .contentType("application/problem+json")
                .body("field", equalTo(field));
    }
}
