package io.infera.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.infera.errors.ModelLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model card in Hugging Face's format: a README.md whose YAML front matter (between {@code ---}
 * lines) holds the metadata (license, datasets, metrics, language, tags ...) and whose rest is the
 * markdown; serving.yaml's {@code model_card:} fields are added to the front matter's, and win.
 *
 * @param metadata the front matter's fields (an empty object when there is none)
 * @param markdown the card's text after the front matter (empty when there is no README.md)
 */
public record ModelCard(JsonNode metadata, String markdown) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A card is shown, not parsed further: one of a megabyte says all a card should. */
    private static final long MAX_BYTES = 1 << 20;

    /**
     * Reads {@code readme} (absent: no markdown) and adds serving.yaml's fields.
     *
     * @throws ModelLoadException when the front matter is not YAML or the file is too large
     */
    static ModelCard read(Path readme, JsonNode servingFields) throws ModelLoadException {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        String markdown = "";
        if (Files.isRegularFile(readme)) {
            String text;
            try {
                if (Files.size(readme) > MAX_BYTES) {
                    throw new ModelLoadException("README.md is over " + MAX_BYTES + " bytes; a model card is shorter");
                }
                text = Files.readString(readme, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ModelLoadException("README.md cannot be read: " + e.getMessage(), e);
            }
            markdown = text;
            if (text.startsWith("---\n") || text.startsWith("---\r\n")) {
                int end = text.indexOf("\n---", 3);
                if (end < 0) {
                    throw new ModelLoadException("README.md opens a YAML front matter with --- and never closes it");
                }
                metadata = frontMatter(text.substring(text.indexOf('\n') + 1, end + 1));
                int after = text.indexOf('\n', end + 4);
                markdown = after < 0 ? "" : text.substring(after + 1).stripLeading();
            }
        }
        if (servingFields != null && servingFields.isObject()) {
            metadata.setAll((ObjectNode) servingFields);
        } else if (servingFields != null && !servingFields.isNull()) {
            throw new ModelLoadException("serving.yaml model_card: expected fields (license: ..., datasets: [...])");
        }
        return new ModelCard(metadata, markdown);
    }

    private static ObjectNode frontMatter(String yaml) throws ModelLoadException {
        try {
            JsonNode parsed = YAML.readTree(yaml);
            if (parsed == null || parsed.isNull() || parsed.isMissingNode()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!parsed.isObject()) {
                throw new ModelLoadException("README.md front matter: expected fields (license: ..., tags: [...])");
            }
            return (ObjectNode) parsed;
        } catch (JsonProcessingException e) {
            throw new ModelLoadException("README.md front matter is not YAML: " + e.getOriginalMessage());
        }
    }
}
