package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad inputs of the text-understanding tasks are 400 problem+json naming the field, never a 500. */
@QuarkusTest
class TextTaskInputErrorsTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    private static ValidatableResponse post(String model, String body) {
        return given().contentType("application/json")
                .body(body)
                .post("/v1/models/{m}/predict", model)
                .then()
                .contentType("application/problem+json");
    }

    @Test
    void questionAnsweringNeedsQuestionAndContext() {
        post("tiny-bert-qa", "{\"inputs\": {\"question\": \"why?\"}}")
                .statusCode(400)
                .body("field", equalTo("inputs.context"));
        post(
                        "tiny-bert-qa",
                        "{\"inputs\": [{\"question\": \"why?\", \"context\": \"because\"}, {\"question\": 3, \"context\": \"x\"}]}")
                .statusCode(400)
                .body("field", equalTo("inputs[1].question"));
        post("tiny-bert-qa", "{\"inputs\": \"just text\"}").statusCode(400).body("field", equalTo("inputs"));
        post("tiny-bert-qa", "{\"inputs\": {\"question\": \"why?\", \"context\": \"   \"}}")
                .statusCode(400)
                .body("field", equalTo("inputs.context"));
        post(
                        "tiny-bert-qa",
                        "{\"inputs\": {\"question\": \"" + "why ".repeat(40) + "\", \"context\": \"because\"},"
                                + " \"parameters\": {\"max_seq_len\": 48, \"doc_stride\": 16}}")
                .statusCode(400)
                .body("field", equalTo("inputs.question"))
                .body("detail", containsString("leaves no room"));
        post(
                        "tiny-bert-qa",
                        "{\"inputs\": {\"question\": \"q\", \"context\": \"c\"}, \"parameters\": {\"doc_stride\": 1000}}")
                .statusCode(400)
                .body("field", equalTo("parameters.doc_stride"));
    }

    @Test
    void multipleChoiceNeedsChoices() {
        post("tiny-bert-mc", "{\"inputs\": {\"question\": \"q\", \"choices\": []}}")
                .statusCode(400)
                .body("field", equalTo("inputs.choices"))
                .body("detail", containsString("at least one"));
        post("tiny-bert-mc", "{\"inputs\": {\"question\": \"q\", \"choices\": [\"a\", 2]}}")
                .statusCode(400)
                .body("field", equalTo("inputs.choices[1]"));
        post("tiny-bert-mc", "{\"inputs\": {\"choices\": [\"a\"]}}")
                .statusCode(400)
                .body("field", equalTo("inputs.question"));
    }

    @Test
    void tokenClassificationParametersAreChecked() {
        post("tiny-bert-ner", "{\"inputs\": \"x\", \"parameters\": {\"aggregation_strategy\": \"loudest\"}}")
                .statusCode(400)
                .body("field", equalTo("parameters.aggregation_strategy"))
                .body("detail", containsString("none, simple, first, average, max"));
        post(
                        "tiny-bert-ner",
                        "{\"inputs\": \"x\", \"parameters\": {\"aggregation_strategy\": \"none\", \"stride\": 8}}")
                .statusCode(400)
                .body("field", equalTo("parameters.stride"));
        post(
                        "tiny-bert-ner",
                        "{\"inputs\": \"x\", \"parameters\": {\"aggregation_strategy\": \"simple\", \"stride\": 500}}")
                .statusCode(400)
                .body("field", equalTo("parameters.stride"));
        post("tiny-bert-ner", "{\"inputs\": \"x\", \"parameters\": {\"ignore_labels\": [\"O\", 1]}}")
                .statusCode(400)
                .body("field", equalTo("parameters.ignore_labels[1]"));
    }

    @Test
    void fillMaskAndZeroShotRefuseWhatTheyCannotAnswer() {
        post("tiny-bert-mlm", "{\"inputs\": \"no mask here\"}")
                .statusCode(400)
                .body("field", equalTo("inputs"))
                .body("detail", containsString("[MASK]"));
        post("tiny-bert-nli", "{\"inputs\": \"text\"}")
                .statusCode(400)
                .body("field", equalTo("parameters.candidate_labels"));
        post("tiny-bert-nli", "{\"inputs\": \"text\", \"parameters\": {\"candidate_labels\": \" , \"}}")
                .statusCode(400)
                .body("field", equalTo("parameters.candidate_labels"));
        post(
                        "tiny-bert-nli",
                        "{\"inputs\": \"text\", \"parameters\": {\"candidate_labels\": [\"a\"], \"hypothesis_template\": \"no slot\"}}")
                .statusCode(400)
                .body("field", equalTo("parameters.hypothesis_template"));
    }

    @Test
    void textIsLimitedBeforeTokenizingToTheCharacter() {
        String limit = "a".repeat(2000);
        given().contentType("application/json")
                .body("{\"inputs\": \"" + limit + "\"}")
                .post("/v1/models/tiny-bert-ner/predict")
                .then()
                .statusCode(200);
        post("tiny-bert-ner", "{\"inputs\": \"" + limit + "a\"}")
                .statusCode(400)
                .body("field", equalTo("inputs"))
                .body("detail", containsString("2001 characters is over the limit of 2000"));
        post("tiny-bert-qa", "{\"inputs\": {\"question\": \"q\", \"context\": \"" + limit + "a\"}}")
                .statusCode(400)
                .body("field", equalTo("inputs.context"));
        post("tiny-bert-mc", "{\"inputs\": [{\"question\": \"q\", \"choices\": [\"a\", \"" + limit + "a\"]}]}")
                .statusCode(400)
                .body("field", equalTo("inputs[0].choices[1]"));
    }

    @Test
    void tablesMustBeRectangularAndQueriesPresent() {
        post("tiny-tapas", "{\"inputs\": {\"table\": {\"a\": [\"1\", \"2\"], \"b\": [\"3\"]}, \"query\": \"q\"}}")
                .statusCode(400)
                .body("field", equalTo("inputs.table.b"))
                .body("detail", containsString("same length"));
        post("tiny-tapas", "{\"inputs\": {\"table\": {\"a\": [\"1\"]}}}")
                .statusCode(400)
                .body("field", equalTo("inputs.query"));
        post("tiny-tapas", "{\"inputs\": {\"table\": {\"a\": [\"1\"]}, \"query\": \"\"}}")
                .statusCode(400)
                .body("field", equalTo("inputs.query"));
        post("tiny-tapas", "{\"inputs\": {\"table\": {}, \"query\": \"q\"}}")
                .statusCode(400)
                .body("field", equalTo("inputs.table"));
        post("tiny-tapas", "{\"inputs\": {\"table\": {\"a\": []}, \"query\": \"q\"}}")
                .statusCode(400)
                .body("detail", containsString("no rows"));
        post("tiny-tapas", "{\"inputs\": {\"table\": {\"a\": [[1]]}, \"query\": \"q\"}}")
                .statusCode(400)
                .body("field", equalTo("inputs.table.a[0]"));
        post("tiny-tapas", "{\"inputs\": {\"table\": {\"a\": [\"1\"]}, \"query\": \"" + "word ".repeat(200) + "\"}}")
                .statusCode(400)
                .body("field", equalTo("inputs.query"));
    }
}
