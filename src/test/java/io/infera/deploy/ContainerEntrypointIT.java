package io.infera.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.testing.ServerProcess;
import io.infera.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JVM image's entry command, run as the image would run it: the Dockerfile's ENTRYPOINT with
 * its ENV, the image's paths mapped onto this checkout (/deployments is target/quarkus-app, /models
 * the bundled models). It must serve the bundled models and exit on SIGTERM after its drain.
 */
class ContainerEntrypointIT {

    @Test
    void theJvmImagesEntryCommandServesTheBundledModelsAndDrainsOnSigterm() throws Exception {
        Dockerfile image = Dockerfile.read(Path.of("Dockerfile"));
        Path app = Path.of("target/quarkus-app").toAbsolutePath();
        Map<String, String> paths = Map.of(
                "/deployments",
                app.toString(),
                "/models",
                TestModels.BUNDLED.toAbsolutePath().toString(),
                "/home/infera",
                Files.createTempDirectory("infera-home").toString());

        List<String> command = new ArrayList<>();
        image.entrypoint().forEach(part -> command.add(Dockerfile.mapPaths(part, paths)));
        ProcessBuilder process = new ProcessBuilder(command);
        image.env().forEach((name, value) -> process.environment().put(name, Dockerfile.mapPaths(value, paths)));
        // the image's java is the one on its PATH: here, the JDK running the tests
        process.environment()
                .put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        process.environment().put("QUARKUS_HTTP_PORT", "0");

        try (ServerProcess server = ServerProcess.launch(process)) {
            assertEquals(200, server.get("/q/health/ready").statusCode());
            JsonNode models =
                    new ObjectMapper().readTree(server.get("/v1/models").body()).path("data");
            List<String> ready = new ArrayList<>();
            models.forEach(m -> {
                if (m.path("state").asText().equals("READY")) {
                    ready.add(m.path("id").asText());
                }
            });
            try (var folders = Files.list(TestModels.BUNDLED)) {
                List<String> bundled = folders.filter(f -> Files.isRegularFile(f.resolve("config.json"))
                                || Files.isRegularFile(f.resolve("serving.yaml")))
                        .map(f -> f.getFileName().toString())
                        .sorted()
                        .toList();
                assertEquals(bundled, ready.stream().sorted().toList(), "every bundled model READY");
            }
            server.terminate();
            assertTrue(server.awaitExit(Duration.ofSeconds(60)), "exits after the drain");
            // 143 is the JVM's own SIGTERM exit after its shutdown hooks (the drain) ran; had sh stayed
            // between, java would never see the signal and the test would time out above
            assertEquals(143, server.exitCode(), "SIGTERM reaches java through sh's exec");
        }
    }
}
