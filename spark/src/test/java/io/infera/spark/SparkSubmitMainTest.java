package io.infera.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit entry point in a JVM of its own, as spark-submit starts it (master local[2]
 * given by the spark.master property): it reads a JSON-lines file and writes one with the
 * prediction column; the usage is printed when options are missing.
 */
class SparkSubmitMainTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Process start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
                "-Dspark.master=local[2]",
                "-Dspark.ui.enabled=false",
                "-cp",
                "@" + classpathFile(),
                InferaScorer.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("log.txt").toFile())
                .start();
    }

    /** The class path in an argument file (a long -cp on the command line would be fragile). */
    private String classpathFile() throws Exception {
        Path file = dir.resolve("cp.args");
        Files.writeString(file, "\"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"");
        return file.toString();
    }

    @Test
    void scoresAJsonLinesFileIntoAJsonLinesOutput() throws Exception {
        Path input = dir.resolve("records.jsonl");
        Files.write(
                input,
                List.of("{\"id\": 1, \"text\": \"a wonderful library\"}", "{\"id\": 2, \"text\": \"broken again\"}"));
        Path output = dir.resolve("scored");
        Process job = start(
                "--models-dir",
                "src/test/resources/models",
                "--model",
                "tiny-bert-sentiment",
                "--input",
                input.toString(),
                "--column",
                "text",
                "--output",
                output.toString(),
                "--parameters",
                "{\"top_k\": 2}");
        assertTrue(job.waitFor(5, TimeUnit.MINUTES), "spark job timed out");
        assertEquals(0, job.exitValue(), Files.readString(dir.resolve("log.txt")));
        List<JsonNode> rows = new ArrayList<>();
        try (Stream<Path> parts = Files.list(output)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-"))
                    .toList()) {
                for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                    rows.add(JSON.readTree(line));
                }
            }
        }
        assertEquals(2, rows.size());
        for (JsonNode row : rows) {
            assertEquals(2, JSON.readTree(row.path("prediction").asText()).size(), row.toString());
        }
    }

    @Test
    void missingOptionsPrintTheUsage() throws Exception {
        Process job = start("--model", "tiny-bert-sentiment");
        assertTrue(job.waitFor(2, TimeUnit.MINUTES));
        assertEquals(2, job.exitValue());
        assertTrue(Files.readString(dir.resolve("log.txt")).contains("usage: InferaScorer"));
    }
}
