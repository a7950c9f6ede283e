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
 * The vision tasks of issue #6 equal the transformers pipelines through the HTTP endpoint, on real
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
        return ReferenceCase.load("object-detection.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesThePipeline(ReferenceCase c) throws Exception {
        String image = c.inputs().asText();
        String type = image.endsWith(".jpg") ? "image/jpeg" : "image/png";
        var request = given().contentType(type).body(Files.readAllBytes(TestModels.IMAGES.resolve(image)));
        String body;
        if (c.parameters().isEmpty()) {
            body = request.post("/v1/models/{m}/predict", c.model()).then().statusCode(200).extract().asString();
        } else {
            String json = "{\"inputs\": \"" + java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(TestModels.IMAGES.resolve(image)))
                    + "\", \"parameters\": " + c.parameters() + "}";
            body = given().contentType("application/json").body(json).post("/v1/models/{m}/predict", c.model())
                    .then().statusCode(200).extract().asString();
        }
        JsonNode actual = TestModels.JSON.readTree(body);
        assertEquals(c.expected().size(), actual.size(), "detections");
        JsonMatch.assertMatches(c.expected(), actual, JsonMatch.SCORE_TOLERANCE);
    }
}
