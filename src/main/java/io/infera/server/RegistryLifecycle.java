package io.infera.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.batching.BatchingPolicy;
import io.infera.config.InferaConfig;
import io.infera.generation.GenerationLimits;
import io.infera.health.ServerReadiness;
import io.infera.metrics.InferaMetrics;
import io.infera.processing.audio.AudioDecoder;
import io.infera.processing.audio.FfmpegDecoder;
import io.infera.registry.ModelDefaults;
import io.infera.registry.ModelLoader;
import io.infera.registry.ModelRepository;
import io.infera.runtime.Device;
import io.infera.runtime.OnnxSessionSettings;
import io.infera.runtime.TorchSettings;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Builds the model repository from the configuration, loads it at start, and on shutdown takes
 * the server out of readiness and lets every model run what it has queued within the grace period.
 */
@ApplicationScoped
public class RegistryLifecycle {

    private static final Logger LOG = Logger.getLogger(RegistryLifecycle.class);

    private final ExecutorService loaders;

    RegistryLifecycle(InferaConfig config) {
        this.loaders = Executors.newFixedThreadPool(
                config.loadThreads(),
                Thread.ofPlatform().name("infera-loader-", 0).daemon().factory());
    }

    @Produces
    @Singleton
    ModelRepository repository(InferaConfig config, ObjectMapper json, InferaMetrics metrics) {
        return new ModelRepository(config.modelsDir(), new ModelLoader(defaults(config), json, metrics));
    }

    /** What every model gets unless its serving.yaml says otherwise: the configuration's values (by default the standard ones). */
    static ModelDefaults defaults(InferaConfig config) {
        InferaConfig.Onnx onnx = config.onnx();
        InferaConfig.Torchscript torch = config.torchscript();
        InferaConfig.Batching batching = config.batching();
        BatchingPolicy policy = new BatchingPolicy(
                batching.maxBatchSize(),
                batching.maxQueueDelayUs() * 1000,
                batching.maxQueueSize(),
                ints(batching.preferredBatchSizes().orElse(List.of())),
                batching.maxBatchTokens(),
                ints(batching.buckets()),
                batching.reorderWindow());
        return new ModelDefaults(
                Device.parse(config.device()),
                new OnnxSessionSettings(
                        onnx.intraOpThreads(),
                        onnx.interOpThreads(),
                        onnx.spinning(),
                        OnnxSessionSettings.OptimizationLevel.parse(onnx.optimizationLevel())),
                new TorchSettings(
                        torch.intraOpThreads(), torch.interOpThreads(), torch.graphOptimizer(), torch.cacheDir()),
                policy,
                batching.instances(),
                batching.warmup(),
                config.limits().maxImagePixels(),
                config.limits().maxTextChars(),
                config.limits().maxItems(),
                audioDecoder(config),
                new GenerationLimits(
                        config.generation().maxSequences(),
                        config.generation().maxQueued(),
                        config.generation().maxStepTokens()),
                config.limits().maxNewTokens());
    }

    void start(@Observes StartupEvent event, ModelRepository repository, InferaMetrics metrics) {
        repository.start(loaders);
        metrics.modelStates(repository);
    }

    /**
     * With quarkus.shutdown.delay set, readiness goes down first while requests are still served, so
     * that load balancers stop sending; once the delay is over, new requests are refused while the
     * work in flight drains.
     */
    void delay(
            @Observes ShutdownDelayInitiatedEvent event,
            ServerReadiness readiness,
            @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> delay) {
        readiness.shuttingDown();
        Thread.ofVirtual().name("infera-drain-gate").start(() -> {
            try {
                Thread.sleep(delay.orElse(Duration.ZERO));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            readiness.refuseNewRequests();
        });
    }

    void stop(
            @Observes ShutdownEvent event, ModelRepository repository, ServerReadiness readiness, InferaConfig config) {
        readiness.refuseNewRequests();
        LOG.infof("unloading models: queued work may run for up to %s", config.shutdownGrace());
        loaders.shutdownNow();
        repository.close(config.shutdownGrace());
    }

    /** WAV in Java always; other containers through ffmpeg when infera.audio.ffmpeg finds or names one. */
    private static AudioDecoder audioDecoder(InferaConfig config) {
        Optional<Path> ffmpeg = FfmpegDecoder.configured(config.audio().ffmpeg());
        LOG.infof(
                "audio containers other than WAV: %s",
                ffmpeg.map(p -> "decoded by " + p).orElse("refused (no ffmpeg)"));
        return new AudioDecoder(
                config.limits().maxAudioSeconds(),
                ffmpeg.map(path -> new FfmpegDecoder(path, config.audio().ffmpegTimeout())));
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
