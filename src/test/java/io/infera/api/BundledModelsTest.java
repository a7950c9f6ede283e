package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The default models, as the README's run command serves them, answer correctly. */
@QuarkusTest
@TestProfile(BundledModelsTest.BundledModels.class)
class BundledModelsTest {

    public static class BundledModels implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("infera.models-dir", TestModels.BUNDLED.toString());
        }
    }

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    /**
     * The retrieval embedders, through OpenAI's embeddings route with their prompts, put the passage
     * that answers a query nearer to it than one that does not (e5's model card example).
     */
    @Test
    void theRetrievalEmbeddersPutTheAnsweringPassageNearer() {
        String query = "how much protein should a female eat";
        String answer = "As a general guideline, the CDC's average requirement of protein for women ages 19 to 70"
                + " is 46 grams per day.";
        String other = "Definition of summit for English Language Learners: the highest point of a mountain.";
        for (String model : List.of("e5-small-v2-q", "bge-small-en-v15-q")) {
            String passagePrompt = model.startsWith("e5") ? ", \"prompt_name\": \"passage\"" : "";
            List<List<Float>> passages = given().contentType("application/json")
                    .body("{\"model\": \"" + model + "\", \"input\": [\"" + answer + "\", \"" + other + "\"]"
                            + passagePrompt + "}")
                    .post("/v1/embeddings")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("data.embedding");
            List<Float> asked = given().contentType("application/json")
                    .body("{\"model\": \"" + model + "\", \"input\": \"" + query + "\", \"prompt_name\": \"query\"}")
                    .post("/v1/embeddings")
                    .then()
                    .statusCode(200)
                    .body("data[0].embedding", hasSize(384))
                    .extract()
                    .path("data[0].embedding");
            double near = dot(asked, passages.get(0));
            double far = dot(asked, passages.get(1));
            org.junit.jupiter.api.Assertions.assertTrue(near > far + 0.05, model + ": " + near + " vs " + far);
        }
    }

    private static double dot(List<Float> a, List<Float> b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += ((Number) a.get(i)).doubleValue() * ((Number) b.get(i)).doubleValue();
        }
        return sum;
    }

    @Test
    void everyBundledModelIsReady() {
        given().get("/v1/models")
                .then()
                .statusCode(200)
                .body(
                        "data.id",
                        containsInAnyOrder(
                                "all-minilm-l6-v2",
                                "bge-small-en-v15-q",
                                "e5-small-v2-q",
                                "blazeface",
                                "fashion-mnist-cnn",
                                "moby-dick-gpt",
                                "ocr",
                                "package-topics",
                                "ppocr-det",
                                "ppocr-rec",
                                "silero-vad",
                                "speech-digits"))
                .body("data.description", everyItem(not(emptyOrNullString())))
                .body("data.state", everyItem(equalTo("READY")));
    }

    @Test
    void miniLmEmbedsAsSentenceTransformers() throws Exception {
        ReferenceCase c = ReferenceCase.load("all-minilm-l6-v2.json").getFirst();
        String answer = given().contentType("application/json")
                .body("{\"inputs\": [" + c.inputs() + "]}")
                .post("/v1/models/all-minilm-l6-v2/predict")
                .then()
                .statusCode(200)
                .body("[0]", hasSize(384))
                .extract()
                .asString();
        JsonMatch.assertMatches(c.expected(), TestModels.JSON.readTree(answer).get(0), JsonMatch.SCORE_TOLERANCE);
    }

    @Test
    void fashionClassifierRecognisesATestImage() throws Exception {
        ReferenceCase c = ReferenceCase.load("fashion-mnist-cnn.json").getFirst();
        byte[] png = Files.readAllBytes(TestModels.IMAGES.resolve(c.inputs().asText()));
        given().contentType("image/png")
                .body(png)
                .post("/v1/models/fashion-mnist-cnn/predict")
                .then()
                .statusCode(200)
                .body("[0].label", equalTo(c.expected().get(0).get("label").asText()))
                .body("[0].score", closeTo(c.expected().get(0).get("score").asDouble(), 1e-4));
    }

    @Test
    void packageTopicsClassifiesSoftwareDescriptions() {
        given().contentType("application/json")
                .body(
                        "{\"inputs\": [\"real-time strategy game with 3D graphics\", \"SQL database server\", \"e-mail client\"]}")
                .post("/v1/models/package-topics/predict")
                .then()
                .statusCode(200)
                .body("[0][0].label", equalTo("games"))
                .body("[1][0].label", equalTo("database"))
                .body("[2][0].label", equalTo("mail"));
    }

    @Test
    void ocrReadsARenderedPageOverHttpAndDrawsWhatItRead() throws Exception {
        byte[] page = Files.readAllBytes(TestModels.IMAGES.resolve("ocr-page.png"));
        ReferenceCase c = ReferenceCase.load("ocr.json").stream()
                .filter(r -> r.inputs().asText().equals("ocr-page.png"))
                .findFirst()
                .orElseThrow();
        JsonNode lines = TestModels.JSON.readTree(given().contentType("image/png")
                .body(page)
                .post("/v1/models/ocr/predict")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        org.junit.jupiter.api.Assertions.assertEquals(c.expected().size(), lines.size(), lines.toString());
        for (int i = 0; i < c.expected().size(); i++) {
            org.junit.jupiter.api.Assertions.assertEquals(
                    c.expected().get(i).get("text").asText(),
                    lines.get(i).get("text").asText());
        }
        byte[] png = given().contentType("image/png")
                .body(page)
                .post("/v1/models/ocr/predict?render=png")
                .then()
                .statusCode(200)
                .contentType("image/png")
                .extract()
                .asByteArray();
        BufferedImage drawn = ImageIO.read(new ByteArrayInputStream(png));
        org.junit.jupiter.api.Assertions.assertEquals(960, drawn.getWidth());
        // the first line's outline runs down its left edge, in the first palette colour
        JsonNode box = lines.get(0).get("box");
        int x = box.get(0).get(0).asInt();
        int y = (box.get(0).get(1).asInt() + box.get(3).get(1).asInt()) / 2;
        org.junit.jupiter.api.Assertions.assertEquals(
                0xE6194B, drawn.getRGB(x, y) & 0xFFFFFF, "outline at " + x + "," + y);
    }

    static java.util.stream.Stream<ReferenceCase> continuations() {
        return ReferenceCase.load("moby-dick-gpt.json").stream();
    }

    /** The trained generation model continues a prompt as transformers' pipeline does, greedily. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("continuations")
    void mobyDickGptContinuesAsThePipelineDoes(ReferenceCase c) throws Exception {
        String body = TestModels.JSON.writeValueAsString(Map.of("inputs", c.inputs(), "parameters", c.parameters()));
        String answer = given().contentType("application/json")
                .body(body)
                .post("/v1/models/moby-dick-gpt/predict")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonMatch.assertMatches(c.expected(), TestModels.JSON.readTree(answer), JsonMatch.SCORE_TOLERANCE);
    }
}
