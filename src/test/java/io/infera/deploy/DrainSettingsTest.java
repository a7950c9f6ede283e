package io.infera.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    private static List<JsonNode> manifests(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> documents = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        return documents;
    }

    @Test
    void thePodsGracePeriodExceedsTheWholeDrain() throws IOException {
        Properties p = settings();
        Duration drain = duration(p, "quarkus.shutdown.delay").plus(duration(p, "quarkus.shutdown.timeout"))
                .plus(duration(p, "infera.shutdown-grace"));
        int checked = 0;
        try (var files = Files.list(Path.of("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (JsonNode manifest : manifests(file)) {
                    if (manifest.path("kind").asText().equals("Deployment")) {
                        long grace = manifest.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds").asLong(30);
                        assertTrue(grace > drain.toSeconds(), file + ": terminationGracePeriodSeconds " + grace
                                + " must exceed the drain of " + drain.toSeconds() + " s");
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 0, "no Deployment under k8s/");
    }

    @Test
    void everyLaunchExitsOnOutOfMemory() throws IOException {
        assertTrue(Files.readString(Path.of("Dockerfile")).contains("-XX:+ExitOnOutOfMemoryError"), "Dockerfile");
        assertTrue(Files.readString(Path.of("k8s/deployment.yaml")).contains("-XX:+ExitOnOutOfMemoryError"), "k8s/deployment.yaml");
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("java -XX:+ExitOnOutOfMemoryError -jar target/quarkus-app/quarkus-run.jar"), "README run command");
    }
}
