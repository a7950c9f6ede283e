package io.infera.runtime;

import java.util.Arrays;
import java.util.Locale;

/** Which runtime serves a model: serving.yaml's {@code backend:}. */
public enum BackendKind {
    /** ONNX Runtime on model.onnx (the default). */
    ONNX("onnx"),
    /** libtorch on model.pt; needs {@code trust: true}, as the archive embeds pickled data. */
    TORCHSCRIPT("torchscript");

    private final String wireName;

    BackendKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException naming the supported ones */
    public static BackendKind parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(k -> k.wireName.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "backend '" + text + "' is not supported (supported: onnx, torchscript)"));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
