package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ?render=png} draws the answer on the picture. The pictures are kept under
 * target/rendered/ to be looked at; the checks here are what a test can see: the size, and the
 * box outline where the JSON answer says the box is.
 */
@QuarkusTest
class RenderTest {

    private static final Path OUT = Path.of("target/rendered");

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    private static byte[] image(String name) throws Exception {
        return Files.readAllBytes(TestModels.IMAGES.resolve(name));
    }

    private static BufferedImage render(String model, String image, String file) throws Exception {
        byte[] png = given().contentType("image/png")
                .body(image(image))
                .post("/v1/models/{m}/predict?render=png", model)
                .then()
                .statusCode(200)
                .contentType("image/png")
                .extract()
                .asByteArray();
        Files.createDirectories(OUT);
        Files.write(OUT.resolve(file), png);
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    void detectionBoxesAreDrawnWhereTheAnswerPutsThem() throws Exception {
        JsonNode answer = TestModels.JSON.readTree(given().contentType("image/png")
                .body(image("astronaut.png"))
                .post("/v1/models/tiny-yolo/predict")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        BufferedImage picture = render("tiny-yolo", "astronaut.png", "detection.png");
        double scale = 320.0 / 96;
        assertEquals(320, picture.getWidth());
        assertEquals(320, picture.getHeight());
        JsonNode box = answer.get(answer.size() - 1).get("box");
        int x = (int) Math.round(box.get("xmin").asInt() * scale);
        int y = (int) Math.round((box.get("ymin").asInt() + box.get("ymax").asInt()) / 2.0 * scale);
        int rgb = picture.getRGB(Math.max(0, x), y) & 0xFFFFFF;
        assertTrue(
                isPalette(rgb),
                "box outline at (" + x + ", " + y + ") is a label colour, got " + Integer.toHexString(rgb));
    }

    private static boolean isPalette(int rgb) {
        for (int c : new int[] {
            0xE6194B, 0x3CB44B, 0x4363D8, 0xF58231, 0x911EB4, 0x008080, 0xF032E6, 0x9A6324, 0x800000, 0x000075
        }) {
            if (c == rgb) {
                return true;
            }
        }
        return false;
    }

    @Test
    void segmentationAndClassificationAreDrawnToo() throws Exception {
        BufferedImage segments = render("tiny-segformer", "chelsea-rgba.png", "segmentation.png");
        assertEquals(Math.round(90 * 320.0 / 60), segments.getWidth());
        BufferedImage labels = render("tiny-vit", "coffee.png", "classification.png");
        assertEquals(480, labels.getWidth());
        assertEquals(320, labels.getHeight());
    }

    @Test
    void onlyPicturesOfImageTasksAreDrawn() throws Exception {
        given().contentType("image/png")
                .body(image("astronaut.png"))
                .post("/v1/models/tiny-yolo/predict?render=jpeg")
                .then()
                .statusCode(400)
                .body("field", equalTo("render"));
        given().contentType("application/json")
                .body("{\"inputs\": \"text\"}")
                .post("/v1/models/tiny-bert-sentiment/predict?render=png")
                .then()
                .statusCode(400)
                .body("field", equalTo("render"));
        String two = java.util.Base64.getEncoder().encodeToString(image("astronaut.png"));
        given().contentType("application/json")
                .body("{\"inputs\": [\"" + two + "\", \"" + two + "\"]}")
                .post("/v1/models/tiny-yolo/predict?render=png")
                .then()
                .statusCode(400)
                .body("field", equalTo("render"));
    }
}
