package io.infera.tasks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.processing.KnownKeys;
import io.infera.processing.image.ImageProcessorConfig;
import io.infera.tasks.featureextraction.SentenceTransformersLayout;
import io.infera.tasks.textgeneration.GenerationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/model-folders.md lists every key the code honours, counts as without effect or refuses, in
 * the section of its file: the table and the code cannot drift apart.
 */
class ModelConfigDocsTest {

    private static final Path DOC = Path.of("docs/model-folders.md");

    /** The text of the section whose heading starts with {@code heading}. */
    private static String section(String heading) throws IOException {
        String doc = Files.readString(DOC);
        int start = doc.indexOf("\n## " + heading);
        assertTrue(start >= 0, "docs/model-folders.md has no section " + heading);
        int end = doc.indexOf("\n## ", start + 1);
        return doc.substring(start, end < 0 ? doc.length() : end);
    }

    private static void listed(String heading, Collection<String> keys) throws IOException {
        String text = section(heading);
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            if (!text.contains("`" + key + "`")) {
                missing.add(key);
            }
        }
        assertTrue(missing.isEmpty(), "docs/model-folders.md section '" + heading + "' does not list " + missing);
    }

    private static void listed(String heading, KnownKeys keys) throws IOException {
        listed(heading, keys.honoured());
        listed(heading, keys.noEffect());
    }

    @Test
    void everyGenerationKeyIsInTheTable() throws IOException {
        listed("generation_config.json", GenerationConfig.HONOURED);
        listed("generation_config.json", GenerationConfig.NO_EFFECT);
        listed("generation_config.json", GenerationConfig.refusedKeys());
    }

    @Test
    void everyPreprocessorKeyIsInTheTable() throws IOException {
        listed("preprocessor_config.json (images)", ImageProcessorConfig.KEYS);
        listed("preprocessor_config.json (audio)", AudioInputs.KEYS);
    }

    @Test
    void everySentenceTransformersKeyIsInTheTable() throws IOException {
        listed("sentence-transformers files", SentenceTransformersLayout.POOLING_KEYS);
        listed("sentence-transformers files", SentenceTransformersLayout.TRANSFORMER_KEYS);
        listed("sentence-transformers files", SentenceTransformersLayout.MODEL_KEYS);
    }
}
