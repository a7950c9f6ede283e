package io.infera.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.batching.BatchingPolicy;
import io.infera.errors.ModelLoadException;
import io.infera.generation.GenerationLimits;
import io.infera.registry.ModelDefaults;
import io.infera.registry.ModelLoader;
import io.infera.registry.ServedModel;
import io.infera.runtime.OnnxSessionSettings;
import java.nio.file.Path;

/** The committed test models (made by fixtures/make_test_models.py) and a loader for them. */
public final class TestModels {

    public static final Path DIR = Path.of("src/test/resources/models");
    public static final Path IMAGES = Path.of("src/test/resources/images");
    public static final Path AUDIO = Path.of("src/test/resources/audio");
    public static final Path REFERENCES = Path.of("src/test/resources/reference");
    /** The default models, as the README's run command serves them (the build assembles them from models/). */
    public static final Path BUNDLED = Path.of("target/models");

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final BatchingPolicy BATCHING =
            new BatchingPolicy(8, 0, 256, new int[0], 0, new int[] {16, 32, 64, 128}, 64);
    /**
     * The standard defaults with what the tests change: small batches and queues (so that tests of
     * limits fill them quickly), one single-thread session (answers that do not depend on the
     * machine's cores), no warm-up and small generation limits.
     */
    public static final ModelDefaults DEFAULTS = ModelDefaults.standard()
            .withBatching(BATCHING)
            .withSessions(1, new OnnxSessionSettings(1, 1, false, OnnxSessionSettings.OptimizationLevel.ALL))
            .withWarmup(false)
            .withGeneration(new GenerationLimits(4, 16, 1024), 256);

    private TestModels() {}

    /** Copies a model folder (files, not links: the server refuses links that leave its models folder). */
    /** Copies a model folder and appends a line to its serving.yaml (made when it has none). */
    public static Path copyWithServing(Path from, Path to, String servingLine) throws java.io.IOException {
        copyFolder(from, to);
        Path serving = to.resolve("serving.yaml");
        java.nio.file.Files.writeString(
                serving,
                (java.nio.file.Files.isRegularFile(serving) ? java.nio.file.Files.readString(serving) : "")
                        + servingLine);
        return to;
    }

    public static void copyFolder(Path from, Path to) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (java.nio.file.Files.isDirectory(source)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    public static ServedModel load(String name) {
        return load(DIR, name);
    }

    public static ServedModel load(Path root, String name) {
        try {
            return new ModelLoader(DEFAULTS, JSON).load(name, root.resolve(name));
        } catch (ModelLoadException e) {
            throw new AssertionError("test model " + name + " does not load: " + e.getMessage(), e);
        }
    }
}
