package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The text-understanding tasks equal the transformers pipelines through the HTTP endpoint, batched:
 * every reference input of one model and parameter set goes in one request, so its rows (windows
 * of long texts included) share batches. Labels, words and offsets exactly; scores within 1e-4.
 */
@QuarkusTest
class TextUnderstandingParityTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    /** One request: a model, a parameter set, and the reference cases answered together. */
    record Batch(String file, String model, JsonNode parameters, List<ReferenceCase> cases) {
        @Override
        public String toString() {
            return model + " " + parameters + " (" + cases.size() + " inputs)";
        }
    }

    static Stream<Batch> batches() {
        List<Batch> batches = new ArrayList<>();
        for (String file : List.of(
                "token-classification.json",
                "fill-mask.json",
                "zero-shot-classification.json",
                "question-answering.json",
                "multiple-choice.json",
                "table-question-answering.json")) {
            Map<String, List<ReferenceCase>> grouped = new LinkedHashMap<>();
            for (ReferenceCase c : ReferenceCase.load(file)) {
                grouped.computeIfAbsent(c.model() + " " + c.parameters(), k -> new ArrayList<>())
                        .add(c);
            }
            grouped.values()
                    .forEach(cases -> batches.add(new Batch(
                            file, cases.getFirst().model(), cases.getFirst().parameters(), cases)));
        }
        return batches.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void matchesThePipeline(Batch batch) throws Exception {
        ObjectNode body = TestModels.JSON.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        batch.cases().forEach(c -> inputs.add(c.inputs()));
        body.set("parameters", batch.parameters());
        String response = given().contentType("application/json")
                .body(body.toString())
                .post("/v1/models/{m}/predict", batch.model())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode answers = TestModels.JSON.readTree(response);
        assertEquals(batch.cases().size(), answers.size());
        for (int i = 0; i < answers.size(); i++) {
            ReferenceCase c = batch.cases().get(i);
            try {
                JsonMatch.assertMatches(c.expected(), answers.get(i), JsonMatch.SCORE_TOLERANCE);
            } catch (AssertionError e) {
                throw new AssertionError(c + ": " + e.getMessage(), e);
            }
        }
    }
}
