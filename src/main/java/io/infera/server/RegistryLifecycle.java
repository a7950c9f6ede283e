package io.infera.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.config.InferaConfig;
import io.infera.registry.ModelDefaults;
import io.infera.registry.ModelLoader;
import io.infera.registry.ModelRepository;
import io.infera.runtime.Device;
import io.infera.runtime.OnnxSessionSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Builds the model repository from the configuration, loads it at start and closes it at shutdown. */
@ApplicationScoped
public class RegistryLifecycle {

    private final ExecutorService loaders;

    RegistryLifecycle(InferaConfig config) {
        this.loaders = Executors.newFixedThreadPool(config.loadThreads(),
                Thread.ofPlatform().name("infera-loader-", 0).daemon().factory());
    }

    @Produces
    @Singleton
    ModelRepository repository(InferaConfig config, ObjectMapper json) {
        InferaConfig.Onnx onnx = config.onnx();
        ModelDefaults defaults = new ModelDefaults(
                Device.parse(config.device()),
                new OnnxSessionSettings(onnx.intraOpThreads(), onnx.interOpThreads(), onnx.spinning(),
                        OnnxSessionSettings.OptimizationLevel.valueOf(onnx.optimizationLevel().toUpperCase(Locale.ROOT))),
                config.batching().maxBatchSize(),
                config.limits().maxImagePixels());
        return new ModelRepository(config.modelsDir(), new ModelLoader(defaults, json));
    }

    void start(@Observes StartupEvent event, ModelRepository repository) {
        repository.start(loaders);
    }

    void stop(@Observes ShutdownEvent event, ModelRepository repository) {
        loaders.shutdownNow();
        repository.close();
    }
}
