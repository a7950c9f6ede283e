package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** text-generation and text2text-generation through /v1/models/{model}/predict: parity, seeds, stop strings and refusals. */
@QuarkusTest
class TextGenerationApiTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    private static String generate(String body) {
        return given().contentType("application/json")
                .body(body)
                .post("/v1/models/tiny-gpt2/predict")
                .then()
                .statusCode(200)
                .extract()
                .path("[0].generated_text");
    }

    @Test
    void greedyEqualsThePipelineOverHttp() throws Exception {
        for (ReferenceCase c : ReferenceCase.load("text-generation.json")) {
            String body = "{\"inputs\": " + TestModels.JSON.writeValueAsString(c.inputs()) + ", \"parameters\": "
                    + c.parameters() + "}";
            String answer = given().contentType("application/json")
                    .body(body)
                    .post("/v1/models/tiny-gpt2/predict")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            JsonMatch.assertMatches(c.expected(), TestModels.JSON.readTree(answer), JsonMatch.SCORE_TOLERANCE);
        }
    }

    @Test
    void samplingIsReproducibleUnderASeed() {
        String seeded =
                "{\"inputs\": \"Hello world\", \"parameters\": {\"do_sample\": true, \"temperature\": 1.5, \"top_k\": 0, "
                        + "\"max_new_tokens\": 16, \"seed\": %d}}";
        String first = generate(seeded.formatted(42));
        assertEquals(first, generate(seeded.formatted(42)));
        assertNotEquals(first, generate(seeded.formatted(43)));
    }

    @Test
    void aStopStringEndsTheTextBeforeIt() throws Exception {
        ReferenceCase greedy = ReferenceCase.load("text-generation.json").getFirst();
        String full = greedy.expected().get(0).path("generated_text").asText();
        String prompt = greedy.inputs().asText();
        String continuation = full.substring(prompt.length());
        String stop = continuation.substring(continuation.length() / 2, continuation.length() / 2 + 3);
        String body = "{\"inputs\": " + TestModels.JSON.writeValueAsString(prompt)
                + ", \"parameters\": {\"do_sample\": false, \"max_new_tokens\": "
                + greedy.parameters().path("max_new_tokens").asInt() + ", \"stop\": "
                + TestModels.JSON.writeValueAsString(stop) + "}}";
        String answer = generate(body);
        assertEquals(prompt + continuation.substring(0, continuation.indexOf(stop)), answer);
        assertTrue(!answer.contains(stop));
    }

    @Test
    void text2textBeamSearchEqualsThePipelineOverHttp() throws Exception {
        for (ReferenceCase c : ReferenceCase.load("text2text-generation.json")) {
            String body = "{\"inputs\": " + TestModels.JSON.writeValueAsString(c.inputs()) + ", \"parameters\": "
                    + c.parameters() + "}";
            String answer = given().contentType("application/json")
                    .body(body)
                    .post("/v1/models/{m}/predict", c.model())
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            JsonMatch.assertMatches(c.expected(), TestModels.JSON.readTree(answer), JsonMatch.SCORE_TOLERANCE);
        }
        given().contentType("application/json")
                .body("{\"inputs\": \"hi\", \"parameters\": {\"early_stopping\": \"sometimes\"}}")
                .post("/v1/models/tiny-bart/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("parameters.early_stopping"));
        given().contentType("application/json")
                .body("{\"inputs\": \"hi\", \"parameters\": {\"do_sample\": true, \"num_beams\": 2}}")
                .post("/v1/models/tiny-bart/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("parameters.num_beams"));
        String sampled =
                "{\"inputs\": \"hi there\", \"parameters\": {\"do_sample\": true, \"max_new_tokens\": 10, \"seed\": %d}}";
        String once = given().contentType("application/json")
                .body(sampled.formatted(7))
                .post("/v1/models/tiny-bart/predict")
                .then()
                .statusCode(200)
                .extract()
                .path("[0].generated_text");
        given().contentType("application/json")
                .body(sampled.formatted(7))
                .post("/v1/models/tiny-bart/predict")
                .then()
                .statusCode(200)
                .body("[0].generated_text", equalTo(once));
        given().contentType("application/json")
                .body("{\"model\": \"tiny-bart\", \"prompt\": \"hi\"}")
                .post("/v1/completions")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("model"));
    }

    /** A list of texts is answered [{...}, {...}] as the pipeline flattens it; several sequences each, a list per text. */
    @Test
    void text2textListsAreShapedAsThePipelineShapesThem() throws Exception {
        for (ReferenceCase c : ReferenceCase.load("text2text-generation-config.json")) {
            if (c.inputs().isArray()) {
                String body = "{\"inputs\": " + c.inputs() + ", \"parameters\": " + c.parameters() + "}";
                String answer = given().contentType("application/json")
                        .body(body)
                        .post("/v1/models/{m}/predict", c.model())
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
                JsonMatch.assertMatches(c.expected(), TestModels.JSON.readTree(answer), JsonMatch.SCORE_TOLERANCE);
            }
        }
    }

    @Test
    void badRequestsAreProblems() {
        given().contentType("application/json")
                .body("{\"inputs\": \"\"}")
                .post("/v1/models/tiny-gpt2/predict")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("inputs"));
        given().contentType("application/json")
                .body("{\"inputs\": \"hi\", \"parameters\": {\"max_new_tokens\": 100000}}")
                .post("/v1/models/tiny-gpt2/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("parameters.max_new_tokens"));
        given().contentType("application/json")
                .body("{\"inputs\": \"hi\", \"parameters\": {\"max_new_tokens\": 128}}")
                .post("/v1/models/tiny-gpt2/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("inputs"))
                .body("detail", containsString("128 positions"));
        given().contentType("application/json")
                .body("{\"inputs\": \"hi\", \"parameters\": {\"do_sample\": true, \"temperature\": 0}}")
                .post("/v1/models/tiny-gpt2/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("parameters.temperature"));
        given().contentType("application/json")
                .body("{\"inputs\": \"hi\", \"parameters\": {\"num_beams\": 2}}")
                .post("/v1/models/tiny-gpt2/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("parameters.num_beams"));
        // the test profile's infera.limits.max-text-chars is 2000, checked before tokenizing
        given().contentType("application/json")
                .body("{\"inputs\": \"" + "a".repeat(2001) + "\", \"parameters\": {\"max_new_tokens\": 1}}")
                .post("/v1/models/tiny-gpt2/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("inputs"))
                .body("detail", containsString("max-text-chars"));
        given().contentType("application/json")
                .body("{\"model\": \"tiny-gpt2\", \"prompt\": \"" + "a".repeat(2001) + "\"}")
                .post("/v1/completions")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("prompt"));
        given().contentType("application/json")
                .body("{\"inputs\": \"hi\"}")
                .post("/v1/models/no-such-gpt/predict")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }
}
