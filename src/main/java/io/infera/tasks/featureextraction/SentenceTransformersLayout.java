package io.infera.tasks.featureextraction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.processing.KnownKeys;
import io.infera.tasks.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a sentence-transformers folder says about embedding a text, so that such an export embeds
 * as sentence-transformers' {@code encode} does: the modules (modules.json: a Transformer, a
 * Pooling, optionally a Normalize), the pooling mode (1_Pooling/config.json, in the flags of
 * sentence-transformers 2 to 5 or the {@code pooling_mode} of 6), and the Transformer's
 * sentence_bert_config.json ({@code max_seq_length}, which wins over the tokenizer's own limit, and
 * {@code do_lower_case}). Anything else there that would change the embedding is refused, naming
 * the file and the key: a module type, a pooling mode, a default prompt.
 *
 * @param maxSeqLength where texts are cut (sentence_bert_config.json), when the folder says
 * @param lowerCase    whether texts are lower-cased before tokenizing
 */
public record SentenceTransformersLayout(
        Pooling pooling, boolean normalize, OptionalInt maxSeqLength, boolean lowerCase) {

    /** The modules Infera runs: the exported transformer, the pooling after it and the normalisation. */
    private static final List<String> MODULES = List.of("Transformer", "Pooling", "Normalize");

    public static final KnownKeys POOLING_KEYS = new KnownKeys(
            "1_Pooling/config.json",
            Set.of(
                    "pooling_mode_cls_token",
                    "pooling_mode_mean_tokens",
                    "pooling_mode_max_tokens",
                    "pooling_mode_mean_sqrt_len_tokens",
                    "pooling_mode_weightedmean_tokens",
                    "pooling_mode_lasttoken",
                    "pooling_mode"),
            // include_prompt only matters when a prompt is prepended, which Infera never does
            Set.of("word_embedding_dimension", "embedding_dimension", "include_prompt"));

    public static final KnownKeys TRANSFORMER_KEYS = new KnownKeys(
            "sentence_bert_config.json",
            Set.of("max_seq_length", "do_lower_case", "transformer_task"),
            Set.of("modality_config", "module_output_name"));

    public static final KnownKeys MODEL_KEYS = new KnownKeys(
            "config_sentence_transformers.json",
            Set.of("default_prompt_name"),
            Set.of("__version__", "prompts", "similarity_fn_name", "model_type"));

    static SentenceTransformersLayout read(ModelFiles files, ObjectMapper json) throws IOException {
        Pooling pooling = Pooling.MEAN;
        boolean normalize = false;
        Path modules = files.resolve("modules.json");
        if (!Files.isRegularFile(modules)) {
            return new SentenceTransformersLayout(pooling, false, OptionalInt.empty(), false);
        }
        for (JsonNode module : json.readTree(modules.toFile())) {
            String type = module.path("type").asText();
            String kind = type.substring(type.lastIndexOf('.') + 1);
            if (!MODULES.contains(kind)) {
                throw new IOException("modules.json module " + type + " is not implemented (Infera runs "
                        + String.join(", ", MODULES) + "); it would change the embeddings");
            }
            String path = module.path("path").asText();
            if (kind.equals("Transformer") && !path.isEmpty()) {
                throw new IOException("modules.json puts the Transformer in '" + path
                        + "': Infera reads the model's files " + "from the folder itself (path \"\")");
            }
            if (kind.equals("Normalize")) {
                normalize = true;
            }
            if (kind.equals("Pooling")) {
                if (!path.matches("[A-Za-z0-9_]+")) {
                    throw new IOException("modules.json pooling path must be a plain folder name, got " + path);
                }
                pooling = pooling(files.resolve(path + "/config.json"), json);
            }
        }
        JsonNode transformer = object(files.resolve("sentence_bert_config.json"), json, TRANSFORMER_KEYS);
        String task = transformer.path("transformer_task").asText("feature-extraction");
        if (!task.equals("feature-extraction")) {
            throw new IOException("sentence_bert_config.json transformer_task '" + task
                    + "' is not implemented (feature-extraction)");
        }
        JsonNode limit = transformer.path("max_seq_length");
        OptionalInt maxSeqLength =
                limit.isInt() && limit.asInt() > 0 ? OptionalInt.of(limit.asInt()) : OptionalInt.empty();
        JsonNode model = object(files.resolve("config_sentence_transformers.json"), json, MODEL_KEYS);
        if (model.hasNonNull("default_prompt_name")) {
            throw new IOException("config_sentence_transformers.json default_prompt_name '"
                    + model.get("default_prompt_name").asText()
                    + "' is not implemented: sentence-transformers prepends that prompt to every text");
        }
        return new SentenceTransformersLayout(
                pooling,
                normalize,
                maxSeqLength,
                transformer.path("do_lower_case").asBoolean(false));
    }

    /** A JSON object file checked against its known keys; an empty object when the folder has none. */
    private static JsonNode object(Path file, ObjectMapper json, KnownKeys keys) throws IOException {
        if (!Files.isRegularFile(file)) {
            return json.createObjectNode();
        }
        JsonNode node = json.readTree(file.toFile());
        try {
            keys.check(node);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return node;
    }

    private static Pooling pooling(Path config, ObjectMapper json) throws IOException {
        if (!Files.isRegularFile(config)) {
            return Pooling.MEAN;
        }
        JsonNode node = object(config, json, POOLING_KEYS);
        List<String> modes = new ArrayList<>();
        node.properties().forEach(e -> {
            if (e.getKey().startsWith("pooling_mode_") && e.getValue().asBoolean(false)) {
                modes.add(e.getKey().substring("pooling_mode_".length()));
            }
        });
        if (node.hasNonNull("pooling_mode")) {
            if (!node.get("pooling_mode").isTextual()) {
                throw new IOException("1_Pooling/config.json pooling_mode " + node.get("pooling_mode")
                        + " is not implemented (mean or cls)");
            }
            modes.add(node.get("pooling_mode").asText());
        }
        if (modes.equals(List.of("cls_token")) || modes.equals(List.of("cls"))) {
            return Pooling.CLS;
        }
        if (modes.equals(List.of("mean_tokens")) || modes.equals(List.of("mean")) || modes.isEmpty()) {
            return Pooling.MEAN;
        }
        throw new IOException(
                "1_Pooling/config.json asks for " + (modes.size() > 1 ? "several pooling modes at once " : "pooling ")
                        + modes + "; Infera implements mean and cls");
    }
}
