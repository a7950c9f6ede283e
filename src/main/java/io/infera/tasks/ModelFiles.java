package io.infera.tasks;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of one model version. A file is looked up in the version folder first and then in
 * the model folder, so that config.json or tokenizer.json can be shared by every version.
 *
 * @param versionFolder the served version's folder (the model folder when it has no versions)
 * @param modelFolder   the model's top folder
 */
public record ModelFiles(Path versionFolder, Path modelFolder) {

    public static ModelFiles unversioned(Path folder) {
        return new ModelFiles(folder, folder);
    }

    public Path resolve(String name) {
        Path inVersion = versionFolder.resolve(name);
        return Files.exists(inVersion) ? inVersion : modelFolder.resolve(name);
    }

    public boolean has(String name) {
        return Files.isRegularFile(resolve(name));
    }
}
