package io.infera.tasks.featureextraction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.tasks.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pooling and normalisation a sentence-transformers folder declares (modules.json and
 * 1_Pooling/config.json), so that such exports embed as sentence-transformers does by default.
 */
record SentenceTransformersLayout(Pooling pooling, boolean normalize) {

    static SentenceTransformersLayout read(ModelFiles files, ObjectMapper json) throws IOException {
        Pooling pooling = Pooling.MEAN;
        boolean normalize = false;
        Path modules = files.resolve("modules.json");
        if (Files.isRegularFile(modules)) {
            for (JsonNode module : json.readTree(modules.toFile())) {
                String type = module.path("type").asText();
                if (type.endsWith(".Normalize")) {
                    normalize = true;
                }
                if (type.endsWith(".Pooling")) {
                    String path = module.path("path").asText();
                    if (!path.matches("[A-Za-z0-9_]+")) {
                        throw new IOException("modules.json pooling path must be a plain folder name, got " + path);
                    }
                    pooling = pooling(files.resolve(path + "/config.json"), json);
                }
            }
        }
        return new SentenceTransformersLayout(pooling, normalize);
    }

    private static Pooling pooling(Path config, ObjectMapper json) throws IOException {
        if (!Files.isRegularFile(config)) {
            return Pooling.MEAN;
        }
        JsonNode node = json.readTree(config.toFile());
        if (node.path("pooling_mode_cls_token").asBoolean(false)) {
            return Pooling.CLS;
        }
        if (node.path("pooling_mode_mean_tokens").asBoolean(false)) {
            return Pooling.MEAN;
        }
        throw new IOException("1_Pooling/config.json asks for a pooling mode other than mean or cls");
    }
}
