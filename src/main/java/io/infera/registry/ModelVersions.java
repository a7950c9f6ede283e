package io.infera.registry;

import io.infera.errors.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Numbered version folders ({@code <model>/1/}, {@code <model>/2/} ...): serving.yaml's {@code
 * version_policy} chooses the ones served (default: the highest), or {@code version} pins one. A
 * model folder without numbered folders is version "1".
 */
final class ModelVersions {

    record Selected(String name, Path folder) {}

    private ModelVersions() {}

    /** The versions to serve, highest first. */
    static List<Selected> select(Path modelFolder, Integer pinned, VersionPolicy policy) throws ModelLoadException {
        if (pinned != null && policy != null) {
            throw new ModelLoadException("serving.yaml sets both version and version_policy; keep one");
        }
        List<Long> onDisk = onDisk(modelFolder);
        boolean flat = onDisk.isEmpty();
        if (flat && pinned != null && pinned != 1) {
            throw new ModelLoadException(
                    "serving.yaml pins version " + pinned + " but the model has no numbered version folders");
        }
        List<Long> chosen;
        if (pinned != null) {
            if (!flat && !onDisk.contains(pinned.longValue())) {
                throw new ModelLoadException("serving.yaml pins version " + pinned + ", which is not among " + onDisk);
            }
            chosen = List.of(pinned.longValue());
        } else {
            try {
                chosen = (policy == null ? VersionPolicy.LATEST_ONE : policy).select(flat ? List.of(1L) : onDisk);
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException("serving.yaml " + e.getMessage());
            }
        }
        return chosen.stream()
                .map(v -> new Selected(Long.toString(v), flat ? modelFolder : modelFolder.resolve(Long.toString(v))))
                .toList();
    }

    private static List<Long> onDisk(Path modelFolder) throws ModelLoadException {
        try (Stream<Path> children = Files.list(modelFolder)) {
            return children.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("[1-9][0-9]{0,9}"))
                    .map(Long::parseLong)
                    .sorted(Comparator.reverseOrder())
                    .toList();
        } catch (IOException e) {
            throw new ModelLoadException("model folder cannot be listed: " + e.getMessage(), e);
        }
    }
}
