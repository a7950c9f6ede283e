package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's run command: the server on the bundled models/ folder answers correctly. */
@QuarkusTest
@TestProfile(BundledModelsTest.BundledModels.class)
class BundledModelsTest {

    public static class BundledModels implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("infera.models-dir", "models");
        }
    }

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    @Test
    void everyBundledModelIsReady() {
        given().get("/v1/models").then().statusCode(200)
                .body("data.id", containsInAnyOrder("all-minilm-l6-v2", "fashion-mnist-cnn", "package-topics", "speech-digits"))
                .body("data.state", everyItem(equalTo("READY")));
    }

    @Test
    void miniLmEmbedsAsSentenceTransformers() throws Exception {
        ReferenceCase c = ReferenceCase.load("all-minilm-l6-v2.json").getFirst();
        String answer = given().contentType("application/json").body("{\"inputs\": [" + c.inputs() + "]}")
                .post("/v1/models/all-minilm-l6-v2/predict").then().statusCode(200)
                .body("[0]", hasSize(384)).extract().asString();
        JsonMatch.assertMatches(c.expected(), TestModels.JSON.readTree(answer).get(0), JsonMatch.SCORE_TOLERANCE);
    }

    @Test
    void fashionClassifierRecognisesATestImage() throws Exception {
        ReferenceCase c = ReferenceCase.load("fashion-mnist-cnn.json").getFirst();
        byte[] png = Files.readAllBytes(TestModels.IMAGES.resolve(c.inputs().asText()));
        given().contentType("image/png").body(png).post("/v1/models/fashion-mnist-cnn/predict").then().statusCode(200)
                .body("[0].label", equalTo(c.expected().get(0).get("label").asText()))
                .body("[0].score", closeTo(c.expected().get(0).get("score").asDouble(), 1e-4));
    }

    @Test
    void packageTopicsClassifiesSoftwareDescriptions() {
        given().contentType("application/json")
                .body("{\"inputs\": [\"real-time strategy game with 3D graphics\", \"SQL database server\", \"e-mail client\"]}")
                .post("/v1/models/package-topics/predict").then().statusCode(200)
                .body("[0][0].label", equalTo("games"))
                .body("[1][0].label", equalTo("database"))
                .body("[2][0].label", equalTo("mail"));
    }
}
