package io.infera.tasks.featureextraction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.processing.KnownKeys;
import io.infera.tasks.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a sentence-transformers folder says about embedding a text, so that such an export embeds
 * as sentence-transformers' {@code encode} does: the modules (modules.json: a Transformer, a
 * Pooling, optionally a Normalize), the pooling mode (1_Pooling/config.json, in the flags of
 * sentence-transformers 2 to 5 or the {@code pooling_mode} of 6), and the Transformer's
 * sentence_bert_config.json ({@code max_seq_length}, which wins over the tokenizer's own limit, and
 * {@code do_lower_case}) and the model's prompts (config_sentence_transformers.json's
 * {@code prompts} and {@code default_prompt_name}). Anything else there that would change the
 * embedding is refused, naming the file and the key: a module type, several pooling modes at once.
 *
 * @param maxSeqLength      where texts are cut (sentence_bert_config.json), when the folder says
 * @param lowerCase         whether texts are lower-cased before tokenizing
 * @param includePrompt     whether a prompt's tokens count in the pooling (1_Pooling's include_prompt)
 * @param prompts           the named prompts of config_sentence_transformers.json
 * @param defaultPromptName the prompt of requests that name none, if the folder sets one
 */
public record SentenceTransformersLayout(
        Pooling pooling,
        boolean normalize,
        OptionalInt maxSeqLength,
        boolean lowerCase,
        boolean includePrompt,
        Map<String, String> prompts,
        Optional<String> defaultPromptName) {

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
                    "pooling_mode",
                    "include_prompt"),
            Set.of("word_embedding_dimension", "embedding_dimension"));

    public static final KnownKeys TRANSFORMER_KEYS = new KnownKeys(
            "sentence_bert_config.json",
            Set.of("max_seq_length", "do_lower_case", "transformer_task"),
            Set.of("modality_config", "module_output_name"));

    public static final KnownKeys MODEL_KEYS = new KnownKeys(
            "config_sentence_transformers.json",
            Set.of("default_prompt_name", "prompts"),
            Set.of("__version__", "similarity_fn_name", "model_type"));

    static SentenceTransformersLayout read(ModelFiles files, ObjectMapper json) throws IOException {
        Pooling pooling = Pooling.MEAN;
        boolean normalize = false;
        boolean includePrompt = true;
        Path modules = files.resolve("modules.json");
        if (!Files.isRegularFile(modules)) {
            return new SentenceTransformersLayout(
                    pooling, false, OptionalInt.empty(), false, true, Map.of(), Optional.empty());
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
                Path config = files.resolve(path + "/config.json");
                pooling = pooling(config, json);
                includePrompt = !Files.isRegularFile(config)
                        || json.readTree(config.toFile()).path("include_prompt").asBoolean(true);
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
        Map<String, String> prompts = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> prompt : model.path("prompts").properties()) {
            if (!prompt.getValue().isTextual()) {
                throw new IOException("config_sentence_transformers.json prompts." + prompt.getKey() + " must be text");
            }
            prompts.put(prompt.getKey(), prompt.getValue().asText());
        }
        Optional<String> defaultPrompt = model.hasNonNull("default_prompt_name")
                ? Optional.of(model.get("default_prompt_name").asText())
                : Optional.empty();
        return new SentenceTransformersLayout(
                pooling,
                normalize,
                maxSeqLength,
                transformer.path("do_lower_case").asBoolean(false),
                includePrompt,
                prompts,
                defaultPrompt);
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
                        + " is not implemented (" + String.join(", ", MODES.keySet()) + ")");
            }
            modes.add(node.get("pooling_mode").asText());
        }
        if (modes.isEmpty()) {
            return Pooling.MEAN;
        }
        Pooling mode = modes.size() == 1 ? MODES.get(modes.getFirst()) : null;
        if (mode == null) {
            throw new IOException("1_Pooling/config.json asks for "
                    + (modes.size() > 1 ? "several pooling modes at once (concatenated) " : "pooling ") + modes
                    + "; Infera implements one of " + String.join(", ", MODES.keySet()));
        }
        return mode;
    }

    /** sentence-transformers' pooling mode names: the config flags without pooling_mode_, and pooling_mode's words. */
    private static final Map<String, Pooling> MODES = modes();

    private static Map<String, Pooling> modes() {
        Map<String, Pooling> modes = new LinkedHashMap<>();
        modes.put("cls_token", Pooling.CLS);
        modes.put("cls", Pooling.CLS);
        modes.put("mean_tokens", Pooling.MEAN);
        modes.put("mean", Pooling.MEAN);
        modes.put("max_tokens", Pooling.MAX);
        modes.put("max", Pooling.MAX);
        modes.put("mean_sqrt_len_tokens", Pooling.MEAN_SQRT_LEN);
        modes.put("weightedmean_tokens", Pooling.WEIGHTED_MEAN);
        modes.put("weightedmean", Pooling.WEIGHTED_MEAN);
        modes.put("lasttoken", Pooling.LAST_TOKEN);
        return Collections.unmodifiableMap(modes);
    }
}
