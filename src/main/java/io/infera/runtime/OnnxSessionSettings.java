package io.infera.runtime;

import java.util.Locale;

/**
 * ONNX Runtime session options that matter for serving.
 *
 * @param intraOpThreads    threads inside one operator; 0 lets ONNX Runtime choose (one per physical core; the model
 *                          loader passes its {@code ExecutionLayout}'s choice instead)
 * @param interOpThreads    threads across independent operators; 0 lets ONNX Runtime choose
 * @param spinning          whether idle intra-op threads spin; fastest on an idle machine, slower under contention
 * @param optimizationLevel graph optimisation level
 */
public record OnnxSessionSettings(
        int intraOpThreads, int interOpThreads, boolean spinning, OptimizationLevel optimizationLevel) {

    /** ONNX Runtime's graph optimisation levels, written in lower case in configuration. */
    public enum OptimizationLevel {
        NONE,
        BASIC,
        EXTENDED,
        ALL;

        /** @throws IllegalArgumentException naming the levels */
        public static OptimizationLevel parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "optimization level '" + text + "' is not one of none, basic, extended, all");
            }
        }
    }

    public static final OnnxSessionSettings DEFAULT = new OnnxSessionSettings(0, 0, false, OptimizationLevel.ALL);

    public OnnxSessionSettings {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0");
        }
    }
}
