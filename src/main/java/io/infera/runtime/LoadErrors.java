package io.infera.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A runtime's load error as clients may read it (it becomes the model's FAILED reason in
 * {@code /v1/models}): the model file by its name only, its folder as "&lt;model folder&gt;", and
 * without the native source locations and C++ signatures ONNX Runtime prefixes.
 */
final class LoadErrors {

    /** "/onnxruntime_src/onnxruntime/core/graph/x.h:46 void onnxruntime::F(const T&, bool) " */
    private static final Pattern NATIVE_SOURCE =
            Pattern.compile("/onnxruntime_src/\\S+:\\d+ (?:[^()]*\\([^)]*\\) (?=[A-Z]))?");

    private LoadErrors() {}

    static String clean(String message, Path model) {
        String clean = String.valueOf(message);
        Set<String> paths = new LinkedHashSet<>();
        paths.add(model.toString());
        paths.add(model.toAbsolutePath().toString());
        for (String path : paths) {
            clean = clean.replace(path, model.getFileName().toString());
        }
        Set<String> folders = new LinkedHashSet<>();
        Path folder = model.toAbsolutePath().getParent();
        folders.add(folder.toString());
        try {
            folders.add(folder.toRealPath().toString());
        } catch (IOException e) {
            // the absolute form is enough
        }
        for (String path : folders) {
            clean = clean.replace(path, "<model folder>");
        }
        return NATIVE_SOURCE.matcher(clean).replaceAll("");
    }
}
