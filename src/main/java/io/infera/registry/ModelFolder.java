package io.infera.registry;

import io.infera.errors.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps what a model is read from inside the models folder. Names are checked elsewhere
 * ({@link ModelName}); here the file system itself: a symbolic link may point anywhere and a hard
 * link is a second name of a file that may live anywhere on the same disk, so a model folder (or
 * a file in it) that leads outside the models folder is refused, and so is a hard-linked file.
 */
final class ModelFolder {

    /** Model folders hold version folders, which hold the files: nothing deeper is read. */
    private static final int DEPTH = 3;

    private ModelFolder() {}

    /** Whether {@code path}, links resolved, is inside {@code root} (links resolved). */
    static boolean isInside(Path root, Path path) {
        try {
            return path.toRealPath().startsWith(root.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /** @throws ModelLoadException naming the first file that leads outside the models folder */
    static void check(Path root, Path folder) throws ModelLoadException {
        if (!isInside(root, folder)) {
            throw new ModelLoadException("the model folder is a link to a place outside the models folder");
        }
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(folder, DEPTH)) {
            entries = walk.toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ModelLoadException("the model folder cannot be listed");
        }
        for (Path entry : entries) {
            String shown = folder.relativize(entry).toString();
            if (Files.isSymbolicLink(entry) && !isInside(root, entry)) {
                throw new ModelLoadException(
                        shown + " is a link to a place outside the models folder (or a broken link)");
            }
            if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) && links(entry) > 1) {
                throw new ModelLoadException(
                        shown + " is a hard link, which may name a file outside the models folder; "
                                + "copy the file instead");
            }
        }
    }

    private static int links(Path file) {
        try {
            return (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return 1; // a file system without link counts has no hard links to worry about
        }
    }
}
