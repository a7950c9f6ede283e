package io.infera.runtime;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.infera.errors.ModelLoadException;
import org.jboss.logging.Logger;

/**
 * Starts DJL's PyTorch engine once per process, offline: the libtorch natives come from the
 * {@code pytorch-native-cpu} jar (or {@code PYTORCH_LIBRARY_PATH}), never from a download.
 */
final class TorchRuntime {

    private static final Logger LOG = Logger.getLogger(TorchRuntime.class);

    private static Engine engine;
    private static TorchSettings applied;

    private TorchRuntime() {}

    /** The engine, started with {@code settings} on first use; later calls must not ask for other settings. */
    static synchronized Engine engine(TorchSettings settings) throws ModelLoadException {
        if (engine != null) {
            if (!settings.equals(applied)) {
                LOG.warnf(
                        "libtorch already started with %s; %s ignored (libtorch settings are per process)",
                        applied, settings);
            }
            return engine;
        }
        // The native executable carries JNI configuration for ONNX Runtime and the tokenizers only:
        // libtorch's 430 MB of natives and DJL's engine loading stay with the JVM images.
        if (System.getProperty("org.graalvm.nativeimage.imagecode") != null) {
            throw new ModelLoadException("backend: torchscript needs the JVM image (Dockerfile or Dockerfile.cuda); "
                    + "the native executable serves ONNX models only");
        }
        // DJL would otherwise try publish.djl.ai for natives it does not find; a server must not.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        settings.cacheDir().ifPresent(dir -> System.setProperty("DJL_CACHE_DIR", dir.toString()));
        // Read by PtEngine when it starts: interop threads can be set only before libtorch runs anything.
        if (settings.interOpThreads() > 0) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(settings.interOpThreads()));
        }
        if (settings.intraOpThreads() > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(settings.intraOpThreads()));
        }
        System.setProperty("ai.djl.pytorch.graph_optimizer", Boolean.toString(settings.graphOptimizer()));
        try {
            Engine started = Engine.getEngine("PyTorch");
            // Gradients are never needed for serving; the default is thread-local, set per run as well.
            JniUtils.setGradMode(false);
            LOG.infof(
                    "libtorch %s started: %d intra-op, %d inter-op threads",
                    started.getVersion(), JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
            engine = started;
            applied = settings;
            return engine;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new ModelLoadException("libtorch cannot start: " + e.getMessage(), e);
        }
    }
}
