package io.infera.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.testing.ServerProcess;
import io.infera.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The playground page's end-to-end tests (tools/e2e/playground.test.mjs): Debian's Chromium,
 * driven by playwright-core, uses the page against the packaged server serving one model of each
 * task. Screenshots of every test are left in target/playground-screenshots.
 */
class PlaygroundIT {

    /** One model per task, and one that fails to load (the list shows it FAILED with its reason). */
    private static final Map<Path, List<String>> MODELS = Map.of(
            TestModels.BUNDLED,
                    List.of(
                            "package-topics",
                            "fashion-mnist-cnn",
                            "all-minilm-l6-v2",
                            "speech-digits",
                            "silero-vad",
                            "blazeface",
                            "ppocr-rec",
                            "ocr"),
            TestModels.DIR,
                    List.of(
                            "tiny-bert-ner",
                            "tiny-bert-qa",
                            "tiny-bert-mlm",
                            "tiny-bert-nli",
                            "tiny-bert-mc",
                            "tiny-tapas",
                            "tiny-t5",
                            "tiny-gpt2",
                            "tiny-segformer",
                            "tiny-cross-encoder",
                            "tiny-splade",
                            "tiny-vilt",
                            "tiny-wav2vec2-audio",
                            "broken-onnx"));

    @Test
    void thePlaygroundShowsEveryTasksAnswer() throws Exception {
        Path chromium = OpsTools.require("chromium");
        Path node = OpsTools.require("node");
        Path testScript = Path.of("tools/e2e/playground.test.mjs");
        OpsTools.require("playwright-core", Path.of("tools/node_modules/playwright-core/package.json"));

        Path models = Files.createTempDirectory("playground-models");
        for (var source : MODELS.entrySet()) {
            for (String name : source.getValue()) {
                TestModels.copyFolder(source.getKey().resolve(name), models.resolve(name));
            }
        }
        Path screenshots = Path.of("target/playground-screenshots").toAbsolutePath();
        try (ServerProcess server = ServerProcess.start(models)) {
            // node's report goes to a file and then into this test's output (surefire does not see a child's stdout)
            Path report = Path.of("target/playground-e2e.log");
            ProcessBuilder tests = new ProcessBuilder(
                            node.toString(), "--test", "--test-reporter=spec", testScript.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(report.toFile());
            tests.environment()
                    .putAll(Map.of(
                            "INFERA_URL",
                            "http://localhost:" + server.port(),
                            "FIXTURES",
                            Path.of("src/test/resources").toAbsolutePath().toString(),
                            "SCREENSHOTS_DIR",
                            screenshots.toString(),
                            "CHROMIUM",
                            chromium.toString()));
            Process process = tests.start();
            boolean finished = process.waitFor(10, TimeUnit.MINUTES);
            String output = Files.readString(report);
            System.out.println(output);
            assertTrue(finished, "the browser tests did not finish in 10 minutes");
            assertEquals(
                    0, process.exitValue(), "browser tests failed (screenshots in " + screenshots + "):\n" + output);
            assertTrue(output.contains("ℹ fail 0"), output);
        } finally {
            deleteTree(models);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
