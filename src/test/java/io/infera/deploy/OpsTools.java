package io.infera.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The operations tools the deployment tests run (kubectl for kustomize, promtool, prometheus). A
 * developer without one sees those tests skipped; CI, which installs them, sets
 * {@code INFERA_REQUIRE_OPS_TOOLS} so that a missing tool fails the build instead.
 */
final class OpsTools {

    private OpsTools() {}

    /** The tool's path (on PATH or in tools/node_modules/.bin), or the test is skipped (failed under INFERA_REQUIRE_OPS_TOOLS). */
    static Path require(String tool) {
        return require(tool, find(tool));
    }

    /** A file a test needs (an npm module, say), under the same rule as a tool. */
    static Path require(String tool, Path file) {
        return require(tool, Files.exists(file) ? Optional.of(file) : Optional.empty());
    }

    private static Path require(String tool, Optional<Path> found) {
        if (found.isEmpty()) {
            String required = System.getenv().getOrDefault("INFERA_REQUIRE_OPS_TOOLS", "");
            if (List.of(required.split(",")).contains(tool) || required.equals("all")) {
                Assertions.fail(tool + " is not installed, and INFERA_REQUIRE_OPS_TOOLS asks for it");
            }
            Assumptions.abort(tool + " is not installed");
        }
        return found.get();
    }

    static Optional<Path> find(String tool) {
        Path npm = Path.of("tools/node_modules/.bin", tool);
        if (Files.isExecutable(npm)) {
            return Optional.of(npm);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs a tool to completion (2 minutes at most) and returns its stdout; a non-zero exit fails the test with its output. */
    static String run(Path workDir, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("infera-tool", ".out");
        Path err = Files.createTempFile("infera-tool", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                Assertions.fail(String.join(" ", command) + " did not finish in 2 minutes");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(
                    0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + stdout + readQuietly(err));
            return stdout;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
