package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/rerank} (Cohere's and Jina's shape) and the predict route of a rerank model both
 * answer CrossEncoder.rank's order and scores; refusals are OpenAI error objects naming the field.
 */
@QuarkusTest
class RerankRouteTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    private static ValidatableResponse rerank(String body) {
        return given().contentType("application/json")
                .body(body)
                .post("/v1/rerank")
                .then();
    }

    @Test
    void answersInCoheresShapeAsCrossEncoderRank() throws Exception {
        ReferenceCase c = ReferenceCase.load("rerank.json").get(1); // top_n 2 with the documents
        ObjectNode body = TestModels.JSON.createObjectNode().put("model", "tiny-cross-encoder");
        body.set("query", c.inputs().get("query"));
        ObjectNode first = TestModels.JSON
                .createObjectNode()
                .put("text", c.inputs().get("texts").get(0).asText());
        body.putArray("documents").add(first); // {"text": ...} objects as Cohere's clients send them
        for (int i = 1; i < c.inputs().get("texts").size(); i++) {
            body.withArray("documents").add(c.inputs().get("texts").get(i));
        }
        body.put("top_n", 2).put("return_documents", true);
        JsonNode answer = TestModels.JSON.readTree(
                rerank(body.toString()).statusCode(200).extract().asString());
        assertEquals("tiny-cross-encoder", answer.path("model").asText());
        assertEquals(c.expected().size(), answer.path("results").size());
        for (int i = 0; i < c.expected().size(); i++) {
            JsonNode expected = c.expected().get(i);
            JsonNode result = answer.path("results").get(i);
            assertEquals(expected.path("index").asInt(), result.path("index").asInt());
            assertEquals(
                    expected.path("score").asDouble(),
                    result.path("relevance_score").asDouble(),
                    1e-4);
            assertEquals(
                    expected.path("text").asText(),
                    result.path("document").path("text").asText());
        }
        assertEquals(true, answer.path("usage").path("total_tokens").asInt() > 0, answer.toString());
    }

    @Test
    void thePredictRouteAnswersTheRankingItself() {
        ReferenceCase c = ReferenceCase.load("rerank.json").getFirst();
        given().contentType("application/json")
                .body("{\"inputs\": " + c.inputs() + "}")
                .post("/v1/models/tiny-cross-encoder/predict")
                .then()
                .statusCode(200)
                .body("[0].index", equalTo(c.expected().get(0).path("index").asInt()))
                .body("size()", equalTo(c.expected().size()));
    }

    @Test
    void refusalsAreErrorObjectsNamingTheField() {
        refused("{\"model\": \"tiny-cross-encoder\", \"query\": \"q\"}", 400, "documents");
        refused("{\"model\": \"tiny-cross-encoder\", \"query\": \"q\", \"documents\": []}", 400, "documents");
        refused("{\"model\": \"tiny-cross-encoder\", \"query\": \"\", \"documents\": [\"a\"]}", 400, "query");
        refused(
                "{\"model\": \"tiny-cross-encoder\", \"query\": \"q\", \"documents\": [\"a\", 5]}",
                400,
                "documents[1]");
        refused(
                "{\"model\": \"tiny-cross-encoder\", \"query\": \"q\", \"documents\": [\"a\"], \"top_n\": 0}",
                400,
                "top_n");
        refused(
                "{\"model\": \"tiny-cross-encoder\", \"query\": \"q\", \"documents\": [\"a\"], \"rank_fields\": []}",
                400,
                "rank_fields");
        refused("{\"model\": \"tiny-st-short\", \"query\": \"q\", \"documents\": [\"a\"]}", 400, "model");
        refused("{\"model\": \"nope\", \"query\": \"q\", \"documents\": [\"a\"]}", 404, "model");
    }

    private static void refused(String body, int status, String param) {
        rerank(body)
                .statusCode(status)
                .contentType("application/json")
                .body("error.param", equalTo(param))
                .body("error.message", not(emptyString()));
    }
}
