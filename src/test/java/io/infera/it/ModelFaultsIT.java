package io.infera.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.ServerProcess;
import io.infera.testing.TestModels;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken and hostile model folders next to a good one: each broken model is FAILED with a reason
 * that says what is wrong, the good one serves, and nothing a folder links to outside the models
 * folder is read.
 */
class ModelFaultsIT {

    @TempDir
    Path models;

    @TempDir
    Path outside;

    private void model(String name, byte[] onnx) throws Exception {
        TestModels.copyFolder(TestModels.DIR.resolve("tiny-bert-sentiment"), models.resolve(name));
        Files.write(models.resolve(name).resolve("model.onnx"), onnx);
    }

    @Test
    void brokenModelsFailWithTheirReasonWhileTheOthersServe() throws Exception {
        Path good = TestModels.DIR.resolve("tiny-bert-sentiment");
        byte[] onnx = Files.readAllBytes(good.resolve("model.onnx"));
        TestModels.copyFolder(good, models.resolve("good"));
        byte[] random = new byte[4096];
        new Random(1).nextBytes(random);
        model("random-bytes", random);
        model("truncated", Arrays.copyOf(onnx, onnx.length / 3));
        model("bad-opset", Files.readAllBytes(Path.of("src/test/resources/faults/bad-opset.onnx")));
        model("external-outside", Files.readAllBytes(Path.of("src/test/resources/faults/external-outside.onnx")));

        // a model folder that is a link to a folder outside the models folder
        TestModels.copyFolder(good, outside.resolve("elsewhere"));
        Files.createSymbolicLink(models.resolve("linked-folder"), outside.resolve("elsewhere"));
        // a tokenizer that is a link to a file outside
        TestModels.copyFolder(good, models.resolve("linked-file"));
        Files.writeString(outside.resolve("secret.json"), "{\"not\": \"a tokenizer\"}");
        Files.delete(models.resolve("linked-file/tokenizer.json"));
        Files.createSymbolicLink(models.resolve("linked-file/tokenizer.json"), outside.resolve("secret.json"));
        // a model file that is a second name of a file outside
        TestModels.copyFolder(good, models.resolve("hard-linked"));
        Files.write(outside.resolve("weights.onnx"), onnx);
        Files.delete(models.resolve("hard-linked/model.onnx"));
        Files.createLink(models.resolve("hard-linked/model.onnx"), outside.resolve("weights.onnx"));
        // a link inside the models folder is fine
        TestModels.copyFolder(good, models.resolve("linked-inside"));
        Files.move(models.resolve("linked-inside/model.onnx"), models.resolve("linked-inside/weights.onnx"));
        Files.createSymbolicLink(models.resolve("linked-inside/model.onnx"), Path.of("weights.onnx"));

        try (ServerProcess server = ServerProcess.start(models)) {
            awaitLoaded(server);
            Map<String, JsonNode> listed = new HashMap<>();
            for (JsonNode m :
                    TestModels.JSON.readTree(server.get("/v1/models").body()).path("data")) {
                listed.put(m.path("id").asText(), m);
            }
            assertEquals("READY", listed.get("good").path("state").asText());
            assertEquals("READY", listed.get("linked-inside").path("state").asText());
            assertFailed(listed, "random-bytes", "ONNX Runtime cannot load");
            assertFailed(listed, "truncated", "ONNX Runtime cannot load");
            assertFailed(listed, "bad-opset", "ONNX Runtime cannot load");
            assertFailed(listed, "external-outside", "ONNX Runtime cannot load");
            assertFailed(listed, "linked-file", "tokenizer.json is a link to a place outside the models folder");
            assertFailed(listed, "hard-linked", "model.onnx is a hard link");
            assertFalse(listed.containsKey("linked-folder"), "a folder linked from outside is not a model");
            assertEquals(
                    404,
                    server.postJson("/v1/models/linked-folder/predict", "{\"inputs\": \"x\"}")
                            .get()
                            .statusCode());
            HttpResponse<String> served = server.postJson("/v1/models/good/predict", "{\"inputs\": \"a fine day\"}")
                    .get();
            assertEquals(200, served.statusCode(), served.body());
            for (JsonNode m : listed.values()) {
                assertFalse(
                        m.toString().contains(outside.toString()), "no path outside the models folder is shown: " + m);
                assertFalse(m.toString().contains(models.toString()), "nor the models folder's own path: " + m);
            }
        }
    }

    private static void assertFailed(Map<String, JsonNode> listed, String name, String reason) {
        JsonNode model = listed.get(name);
        assertEquals("FAILED", model.path("state").asText(), model.toString());
        assertTrue(model.path("reason").asText().contains(reason), model.toString());
    }

    private static void awaitLoaded(ServerProcess server) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (!server.get("/v1/models").body().contains("LOADING")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("models still loading");
    }
}
