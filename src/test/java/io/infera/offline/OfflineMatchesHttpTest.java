package io.infera.offline;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The score command answers every record exactly as the HTTP route answers the same request
 * (same JSON), for text classification, NER, question answering and image classification (images
 * as base64 in JSONL).
 */
@QuarkusTest
class OfflineMatchesHttpTest {

    @TempDir
    Path dir;

    @Test
    void eachLineEqualsTheHttpAnswer() throws Exception {
        TestServer.awaitReady();
        compare("tiny-bert-sentiment", requests("text-classification.json", "tiny-bert-sentiment"));
        compare("tiny-bert-ner", requests("token-classification.json", "tiny-bert-ner"));
        compare("tiny-bert-qa", requests("question-answering.json", "tiny-bert-qa"));
        List<String> images = new ArrayList<>();
        for (String name : List.of("fashion/test-00-ankle-boot.png", "fashion/test-01-pullover.png")) {
            String data = Base64.getEncoder().encodeToString(Files.readAllBytes(TestModels.IMAGES.resolve(name)));
            images.add("{\"inputs\": \"" + data + "\", \"parameters\": {\"top_k\": 3}}");
        }
        compare("tiny-vit", images);
    }

    private static List<String> requests(String references, String model) throws Exception {
        List<String> lines = new ArrayList<>();
        for (ReferenceCase c : ReferenceCase.load(references)) {
            if (c.model().equals(model)) {
                ObjectNode request = TestModels.JSON.createObjectNode();
                request.set("inputs", c.inputs());
                request.set("parameters", c.parameters());
                lines.add(TestModels.JSON.writeValueAsString(request));
            }
        }
        return lines;
    }

    private void compare(String model, List<String> requests) throws Exception {
        Path input = dir.resolve(model + ".jsonl");
        Path output = dir.resolve(model + "-out.jsonl");
        Files.write(input, requests);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(
                0,
                ScoreCommand.run(
                        new String[] {
                            "--model",
                            model,
                            "--models-dir",
                            TestModels.DIR.toString(),
                            "--input",
                            input.toString(),
                            "--output",
                            output.toString()
                        },
                        new PrintStream(err, true, StandardCharsets.UTF_8)),
                err.toString());
        List<String> lines = Files.readAllLines(output);
        assertEquals(requests.size(), lines.size());
        for (int i = 0; i < requests.size(); i++) {
            String http = given().contentType("application/json")
                    .body(requests.get(i))
                    .post("/v1/models/{m}/predict", model)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            assertEquals(
                    TestModels.JSON.readTree(http),
                    TestModels.JSON.readTree(lines.get(i)),
                    model + " record " + (i + 1));
        }
    }
}
