package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad pictures and questions for the vision tasks: problem+json naming the field, never a 500. */
@QuarkusTest
class VisionInputErrorsTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    private static String base64(String image) throws Exception {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(TestModels.IMAGES.resolve(image)));
    }

    @Test
    void badPicturesAreRefusedForEveryVisionTask() throws Exception {
        byte[] png = Files.readAllBytes(TestModels.IMAGES.resolve("astronaut.png"));
        for (String model : new String[] {"tiny-yolos", "tiny-yolo", "tiny-boxes", "tiny-segformer"}) {
            given().contentType("image/png")
                    .body(Arrays.copyOf(png, png.length / 3))
                    .post("/v1/models/{m}/predict", model)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("field", equalTo("body"));
            given().contentType("image/png")
                    .body("not a picture".getBytes())
                    .post("/v1/models/{m}/predict", model)
                    .then()
                    .statusCode(415)
                    .contentType("application/problem+json");
            given().contentType("image/jpeg")
                    .body(Files.readAllBytes(TestModels.IMAGES.resolve("decoding/cmyk.jpg")))
                    .post("/v1/models/{m}/predict", model)
                    .then()
                    .statusCode(415)
                    .body("detail", containsString("CMYK"));
        }
        given().contentType("application/json")
                .body("{\"inputs\": \"x\", \"parameters\": {\"threshold\": 2}}")
                .post("/v1/models/tiny-yolo/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("parameters.threshold"));
        given().contentType("application/json")
                .body("{\"inputs\": \"x\", \"parameters\": {\"iou_threshold\": 0.5}}")
                .post("/v1/models/tiny-yolos/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("parameters.iou_threshold"));
    }

    @Test
    void visualQuestionsNeedAPictureAndAQuestion() throws Exception {
        given().contentType("application/json")
                .body("{\"inputs\": {\"image\": \"" + base64("astronaut.png") + "\"}}")
                .post("/v1/models/tiny-vilt/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("inputs.question"));
        given().contentType("application/json")
                .body("{\"inputs\": {\"question\": \"why?\"}}")
                .post("/v1/models/tiny-vilt/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("inputs.image"));
        // ViLT's resize rule leaves a side of 0 pixels for a 12x90 picture: the pipeline fails too.
        given().contentType("application/json")
                .body("{\"inputs\": {\"image\": \"" + base64("tall.png") + "\", \"question\": \"why?\"}}")
                .post("/v1/models/tiny-vilt/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("inputs.image"))
                .body("detail", containsString("too narrow"));
    }
}
