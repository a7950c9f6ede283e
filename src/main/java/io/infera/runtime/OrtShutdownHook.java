package io.infera.runtime;

import ai.onnxruntime.OrtEnvironment;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Takes ONNX Runtime's environment out of the JVM's shutdown hooks.
 *
 * <p>ORT's Java binding releases its native environment in a shutdown hook. Shutdown hooks run
 * concurrently, so on SIGTERM the environment is freed while the server is still draining, and the
 * next inference crashes the process in native code (onnxruntime issue #31352: "not possible to
 * prevent from within Java"). A server that finishes queued work after SIGTERM cannot allow that,
 * so this removes the hook: the environment then lives until the process ends, when the operating
 * system reclaims it. Removing a hook by identity needs {@code --add-opens java.base/java.lang}
 * (declared in the jar manifest and the test and dev-mode JVM arguments); without it the hook
 * stays and a warning says what is at risk.
 */
final class OrtShutdownHook {

    private static final Logger LOG = Logger.getLogger(OrtShutdownHook.class);
    private static final String CLOSER = "ai.onnxruntime.OrtEnvironment$OrtEnvCloser";
    private static boolean done;

    private OrtShutdownHook() {}

    /** Idempotent; call once the environment exists. */
    static synchronized void remove(OrtEnvironment environment) {
        if (done || environment == null) {
            return;
        }
        done = true;
        try {
            Class<?> hooksClass = Class.forName("java.lang.ApplicationShutdownHooks");
            Field hooksField = hooksClass.getDeclaredField("hooks");
            hooksField.setAccessible(true);
            List<Thread> hooks;
            synchronized (hooksClass) {
                hooks = new ArrayList<>(((Map<?, ?>) hooksField.get(null))
                        .keySet().stream().map(Thread.class::cast).toList());
            }
            int removed = 0;
            for (Thread hook : hooks) {
                Object task = taskOf(hook);
                if (task != null && task.getClass().getName().equals(CLOSER)) {
                    removed += Runtime.getRuntime().removeShutdownHook(hook) ? 1 : 0;
                }
            }
            if (removed == 0) {
                LOG.warn("ONNX Runtime's environment shutdown hook was not found; inference during shutdown may crash");
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf(
                    "ONNX Runtime releases its environment at JVM shutdown while requests may still run: start the JVM "
                            + "with --add-opens java.base/java.lang=ALL-UNNAMED so that Infera can prevent it (%s)",
                    e);
        }
    }

    private static Object taskOf(Thread thread) throws ReflectiveOperationException {
        Field holderField = Thread.class.getDeclaredField("holder");
        holderField.setAccessible(true);
        Object holder = holderField.get(thread);
        if (holder == null) {
            return null;
        }
        Field taskField = holder.getClass().getDeclaredField("task");
        taskField.setAccessible(true);
        return taskField.get(holder);
    }
}
