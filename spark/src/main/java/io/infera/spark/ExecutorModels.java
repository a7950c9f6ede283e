package io.infera.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.errors.ModelLoadException;
import io.infera.offline.ScoreCommand;
import io.infera.registry.ModelLoader;
import io.infera.registry.ServedModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models of one executor JVM, each loaded once and shared by every task (partition) that runs
 * there; they close when the executor exits.
 */
final class ExecutorModels {

    private static final Map<String, ServedModel> LOADED = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.concurrent.atomic.AtomicInteger LOADS =
            new java.util.concurrent.atomic.AtomicInteger();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> LOADED.values().forEach(m -> m.close(Duration.ofSeconds(5)))));
    }

    private ExecutorModels() {}

    /** How many times this JVM loaded a model (once per model). */
    static int loads() {
        return LOADS.get();
    }

    static ServedModel get(String modelsDir, String model) {
        return LOADED.computeIfAbsent(modelsDir + "/" + model, key -> {
            LOADS.incrementAndGet();
            try {
                return new ModelLoader(ScoreCommand.defaults(), JSON)
                        .load(model, Path.of(modelsDir).resolve(model));
            } catch (ModelLoadException e) {
                throw new IllegalStateException(
                        "model '" + model + "' cannot be loaded on this executor: " + e.getMessage(), e);
            }
        });
    }
}
