package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vision tasks equal the transformers pipelines through the HTTP endpoint, on real
 * photographs and odd images (grey, alpha, palette, extreme aspect ratios): labels exactly,
 * scores within 1e-4, boxes within half a pixel (integer boxes: equal).
 */
@QuarkusTest
class VisionParityTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    static Stream<ReferenceCase> cases() {
        return Stream.of(
                        "object-detection.json",
                        "object-detection-yolo.json",
                        "object-detection-boxes.json",
                        "object-detection-letterbox.json",
                        "object-detection-detr.json")
                .flatMap(f -> ReferenceCase.load(f).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesThePipeline(ReferenceCase c) throws Exception {
        String image = c.inputs().asText();
        String type = image.endsWith(".jpg") ? "image/jpeg" : "image/png";
        var request = given().contentType(type).body(Files.readAllBytes(TestModels.IMAGES.resolve(image)));
        String body;
        if (c.parameters().isEmpty()) {
            body = request.post("/v1/models/{m}/predict", c.model())
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
        } else {
            String json = "{\"inputs\": \""
                    + java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(TestModels.IMAGES.resolve(image)))
                    + "\", \"parameters\": " + c.parameters() + "}";
            body = given().contentType("application/json")
                    .body(json)
                    .post("/v1/models/{m}/predict", c.model())
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
        }
        JsonNode actual = TestModels.JSON.readTree(body);
        assertEquals(c.expected().size(), actual.size(), "detections");
        JsonMatch.assertMatches(c.expected(), actual, JsonMatch.SCORE_TOLERANCE);
    }

    static Stream<ReferenceCase> unbatchedCases() {
        return ReferenceCase.load("object-detection-boxes.json").stream()
                .map(c -> new ReferenceCase("tiny-boxes-unbatched", c.inputs(), c.parameters(), c.expected()));
    }

    /** The same weights exported without a batch axis (torchvision's convention) answer the same. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unbatchedCases")
    void unbatchedExportsAnswerAsTheirBatchedTwin(ReferenceCase c) throws Exception {
        matchesThePipeline(c);
    }

    static Stream<ReferenceCase> segmentationCases() {
        return ReferenceCase.load("image-segmentation.json").stream();
    }

    /** Labels in order, score null, and every mask pixel equal to the pipeline's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("segmentationCases")
    void segmentsAsThePipeline(ReferenceCase c) throws Exception {
        String image = c.inputs().asText();
        String body = given().contentType(image.endsWith(".jpg") ? "image/jpeg" : "image/png")
                .body(Files.readAllBytes(TestModels.IMAGES.resolve(image)))
                .post("/v1/models/{m}/predict", c.model())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode actual = TestModels.JSON.readTree(body);
        assertEquals(c.expected().size(), actual.size(), "segments");
        for (int i = 0; i < actual.size(); i++) {
            JsonNode e = c.expected().get(i);
            JsonNode a = actual.get(i);
            assertEquals(e.get("label").asText(), a.get("label").asText());
            assertEquals(true, a.get("score").isNull(), "semantic segments have no score");
            int[] expected = grey(e.get("mask").asText());
            int[] got = grey(a.get("mask").asText());
            assertEquals(expected.length, got.length, "mask size");
            int differing = 0;
            for (int p = 0; p < expected.length; p++) {
                differing += expected[p] == got[p] ? 0 : 1;
            }
            assertEquals(0, differing, e.get("label").asText() + ": mask pixels that differ");
        }
    }

    private static int[] grey(String base64Png) throws Exception {
        var picture = javax.imageio.ImageIO.read(
                new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(base64Png)));
        return picture.getRaster().getPixels(0, 0, picture.getWidth(), picture.getHeight(), (int[]) null);
    }

    static Stream<ReferenceCase> vqaCases() {
        return ReferenceCase.load("visual-question-answering.json").stream();
    }

    /** The picture (base64) and the question together; answers and scores as the pipeline ranks them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vqaCases")
    void answersQuestionsAsThePipeline(ReferenceCase c) throws Exception {
        String image = java.util.Base64.getEncoder()
                .encodeToString(Files.readAllBytes(
                        TestModels.IMAGES.resolve(c.inputs().get("image").asText())));
        var body = TestModels.JSON.createObjectNode();
        body.putObject("inputs")
                .put("image", image)
                .put("question", c.inputs().get("question").asText());
        body.set("parameters", c.parameters());
        String answer = given().contentType("application/json")
                .body(body.toString())
                .post("/v1/models/{m}/predict", c.model())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonMatch.assertMatches(c.expected(), TestModels.JSON.readTree(answer), JsonMatch.SCORE_TOLERANCE);
    }
}
