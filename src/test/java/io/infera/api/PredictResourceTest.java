package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The task endpoint over HTTP: answers equal the pipeline references, for single items, lists and raw bodies. */
@QuarkusTest
class PredictResourceTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    static Stream<ReferenceCase> textCases() {
        return Stream.concat(
                ReferenceCase.load("text-classification.json").stream(),
                ReferenceCase.load("feature-extraction.json").stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("textCases")
    void textTasksAnswerAsThePipeline(ReferenceCase c) throws Exception {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("inputs", c.inputs());
        body.set("parameters", c.parameters());
        String answer = given().contentType("application/json")
                .body(body.toString())
                .post("/v1/models/{m}/predict", c.model())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode expected =
                c.expected().isObject() ? JsonNodeFactory.instance.arrayNode().add(c.expected()) : c.expected();
        JsonMatch.assertMatches(expected, TestModels.JSON.readTree(answer), JsonMatch.SCORE_TOLERANCE);
    }

    @Test
    void aListOfInputsGetsAListOfAnswersInOrder() {
        given().contentType("application/json")
                .body("{\"inputs\": [\"I love this movie, it was wonderful!\", \"\"], \"parameters\": {\"top_k\": 1}}")
                .post("/v1/models/tiny-bert-sentiment/predict")
                .then()
                .statusCode(200)
                .body("$", hasSize(2))
                .body("[0][0].label", equalTo("positive"))
                .body("[0][0].score", closeTo(0.57786781, 1e-4))
                .body("[1][0].label", equalTo("negative"))
                .body("[1][0].score", closeTo(0.36652937, 1e-4));
    }

    @Test
    void imagesArriveAsRawBodiesBase64OrDataUrls() throws Exception {
        byte[] png = Files.readAllBytes(TestModels.IMAGES.resolve("astronaut.png"));
        byte[] jpeg = Files.readAllBytes(TestModels.IMAGES.resolve("coffee.jpg"));
        given().contentType("image/png")
                .body(png)
                .post("/v1/models/tiny-vit/predict")
                .then()
                .statusCode(200)
                .body("$", hasSize(5))
                .body("[0].label", equalTo("person"))
                .body("[0].score", closeTo(0.33063057, 1e-4));
        given().contentType("application/octet-stream")
                .body(jpeg)
                .post("/v1/models/tiny-vit/predict")
                .then()
                .statusCode(200)
                .body("[0].label", equalTo("person"))
                .body("[0].score", closeTo(0.58654308, 1e-4));
        String base64 = Base64.getEncoder().encodeToString(png);
        given().contentType("application/json")
                .body("{\"inputs\": [\"" + base64 + "\", \"data:image/png;base64," + base64
                        + "\"], \"parameters\": {\"top_k\": 2}}")
                .post("/v1/models/tiny-vit/predict")
                .then()
                .statusCode(200)
                .body("$", hasSize(2))
                .body("[0]", hasSize(2))
                .body("[1][0].label", equalTo("person"));
    }

    @Test
    void servingYamlDefaultParametersApplyAndRequestsOverrideThem() throws Exception {
        // tiny-bert-encoder's serving.yaml sets pooling: cls.
        ReferenceCase cls = ReferenceCase.load("feature-extraction.json").stream()
                .filter(c -> c.parameters().path("pooling").asText().equals("cls"))
                .findFirst()
                .orElseThrow();
        JsonNode meanOnly = TestModels.JSON.readTree("{\"pooling\": \"mean\"}");
        ReferenceCase mean = ReferenceCase.load("feature-extraction.json").stream()
                .filter(c -> c.inputs().equals(cls.inputs()) && c.parameters().equals(meanOnly))
                .findFirst()
                .orElseThrow();
        String withDefaults = given().contentType("application/json")
                .body("{\"inputs\": " + cls.inputs() + "}")
                .post("/v1/models/tiny-bert-encoder/predict")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonMatch.assertMatches(cls.expected(), TestModels.JSON.readTree(withDefaults), JsonMatch.SCORE_TOLERANCE);
        String overridden = given().contentType("application/json")
                .body("{\"inputs\": " + cls.inputs() + ", \"parameters\": {\"pooling\": \"mean\"}}")
                .post("/v1/models/tiny-bert-encoder/predict")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonMatch.assertMatches(mean.expected(), TestModels.JSON.readTree(overridden), JsonMatch.SCORE_TOLERANCE);
    }
}
