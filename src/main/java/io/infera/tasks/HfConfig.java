package io.infera.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.infera.errors.ModelLoadException;
import io.infera.processing.Labels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/** A read-only view of a Hugging Face config.json (an empty one when the folder has none). */
public record HfConfig(JsonNode json) {

    public static HfConfig empty() {
        return new HfConfig(JsonNodeFactory.instance.objectNode());
    }

    /** The folder's config.json, or an empty one where it has none. */
    public static HfConfig read(ModelFiles files, ObjectMapper json) throws ModelLoadException {
        if (!files.has("config.json")) {
            return empty();
        }
        try {
            JsonNode node = json.readTree(files.resolve("config.json").toFile());
            if (!node.isObject()) {
                throw new ModelLoadException("config.json must hold a JSON object");
            }
            return new HfConfig(node);
        } catch (IOException e) {
            throw new ModelLoadException("config.json is not valid JSON: " + e.getMessage(), e);
        }
    }

    public List<String> architectures() {
        List<String> names = new ArrayList<>();
        json.path("architectures").forEach(n -> names.add(n.asText()));
        return names;
    }

    public Optional<String> modelType() {
        return text("model_type");
    }

    public Optional<String> problemType() {
        return text("problem_type");
    }

    /** The labels of {@code id2label}, ordered by id; empty when config.json has none. */
    public Optional<Labels> labels() {
        JsonNode map = json.path("id2label");
        if (!map.isObject() || map.isEmpty()) {
            return Optional.empty();
        }
        TreeMap<Integer, String> byId = new TreeMap<>();
        map.properties()
                .forEach(
                        e -> byId.put(Integer.parseInt(e.getKey()), e.getValue().asText()));
        if (byId.firstKey() != 0 || byId.lastKey() != byId.size() - 1) {
            throw new IllegalArgumentException("config.json id2label ids must be 0.." + (byId.size() - 1));
        }
        return Optional.of(new Labels(List.copyOf(byId.values())));
    }

    public OptionalInt maxPositionEmbeddings() {
        JsonNode value = json.path("max_position_embeddings");
        return value.isInt() ? OptionalInt.of(value.asInt()) : OptionalInt.empty();
    }

    private Optional<String> text(String field) {
        JsonNode value = json.path(field);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }
}
