package io.infera.registry;

import io.infera.errors.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Numbered version folders ({@code <model>/1/}, {@code <model>/2/} ...): the highest is served
 * unless serving.yaml pins one. A model folder without numbered folders is version "1".
 */
final class ModelVersions {

    record Selected(String name, Path folder) {}

    private ModelVersions() {}

    static Selected select(Path modelFolder, Integer pinned) throws ModelLoadException {
        List<Long> versions;
        try (Stream<Path> children = Files.list(modelFolder)) {
            versions = children.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("[1-9][0-9]{0,9}"))
                    .map(Long::parseLong)
                    .sorted(Comparator.reverseOrder())
                    .toList();
        } catch (IOException e) {
            throw new ModelLoadException("model folder cannot be listed: " + e.getMessage(), e);
        }
        if (versions.isEmpty()) {
            if (pinned != null && pinned != 1) {
                throw new ModelLoadException(
                        "serving.yaml pins version " + pinned + " but the model has no numbered version folders");
            }
            return new Selected("1", modelFolder);
        }
        long chosen = pinned != null ? pinned : versions.getFirst();
        if (!versions.contains(chosen)) {
            throw new ModelLoadException("serving.yaml pins version " + pinned + ", which is not among " + versions);
        }
        return new Selected(Long.toString(chosen), modelFolder.resolve(Long.toString(chosen)));
    }
}
