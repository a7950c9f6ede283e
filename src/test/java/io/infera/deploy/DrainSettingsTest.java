package io.infera.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The drain the server is configured for fits in the time Kubernetes gives a pod, and every way
 * the server is launched exits on OutOfMemoryError (a JVM that lives on after one serves broken).
 */
class DrainSettingsTest {

    private static Properties settings() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    private static Duration duration(Properties p, String key) {
        return Duration.parse("PT" + p.getProperty(key).toUpperCase(java.util.Locale.ROOT));
    }

    @Test
    void thePodsGracePeriodExceedsPreStopAndTheWholeDrain() throws Exception {
        Properties p = settings();
        Duration drain = duration(p, "quarkus.shutdown.delay")
                .plus(duration(p, "quarkus.shutdown.timeout"))
                .plus(duration(p, "infera.shutdown-grace"));
        int checked = 0;
        for (Manifests.Rendered object : Manifests.renderAll()) {
            JsonNode pod = switch (object.kind()) {
                case "Deployment" -> object.object().at("/spec/template/spec");
                case "InferenceService" -> object.object().at("/spec/predictor");
                default -> null;
            };
            if (pod == null) {
                continue;
            }
            long preStop = 0;
            for (JsonNode container : pod.path("containers")) {
                JsonNode command = container.at("/lifecycle/preStop/exec/command");
                if (command.size() == 2 && command.get(0).asText().equals("sleep")) {
                    preStop = Math.max(preStop, command.get(1).asLong());
                }
            }
            long grace = pod.path("terminationGracePeriodSeconds").asLong(30);
            assertTrue(
                    grace > preStop + drain.toSeconds(),
                    object + ": terminationGracePeriodSeconds " + grace + " must exceed preStop " + preStop
                            + " s + the drain of " + drain.toSeconds() + " s");
            checked++;
        }
        assertTrue(checked >= 3, "the CPU and GPU Deployments and the InferenceService are checked, found " + checked);
    }

    @Test
    void everyLaunchExitsOnOutOfMemory() throws IOException {
        for (String image : List.of("Dockerfile", "Dockerfile.cuda")) {
            assertTrue(Files.readString(Path.of(image)).contains("-XX:+ExitOnOutOfMemoryError"), image);
        }
        for (String manifest : List.of("k8s/base/deployment.yaml", "k8s/kserve/servingruntime.yaml")) {
            assertTrue(Files.readString(Path.of(manifest)).contains("-XX:+ExitOnOutOfMemoryError"), manifest);
        }
        assertTrue(
                Files.readString(Path.of("infera")).contains("-XX:+ExitOnOutOfMemoryError"),
                "the launcher's serve command");
    }
}
