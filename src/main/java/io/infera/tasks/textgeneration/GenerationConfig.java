package io.infera.tasks.textgeneration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.errors.ModelLoadException;
import io.infera.tasks.TaskContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A model's generation settings as transformers' {@code generate} reads them: generation_config.json,
 * or, for a model without one, the generation keys of its config.json (transformers' {@code
 * GenerationConfig.from_model_config}). A key counts as set when it is present and not null.
 *
 * <p>Every attribute of transformers' GenerationConfig is in one of three lists: {@link #HONOURED}
 * (Infera implements it), {@link #NO_EFFECT} (it changes how generate computes, not what it answers)
 * and {@link #REFUSED} (it would change the answer and Infera does not implement it: a request it
 * would apply to is refused with a message naming the key, so that no answer silently differs).
 * Keys that are not GenerationConfig attributes are ignored, as generate ignores them.
 */
public final class GenerationConfig {

    /** Keys Infera implements, with the transformers meanings. */
    public static final List<String> HONOURED = List.of(
            "max_new_tokens",
            "max_length",
            "min_new_tokens",
            "min_length",
            "do_sample",
            "temperature",
            "top_k",
            "top_p",
            "num_beams",
            "length_penalty",
            "early_stopping",
            "num_return_sequences",
            "repetition_penalty",
            "no_repeat_ngram_size",
            "bad_words_ids",
            "suppress_tokens",
            "begin_suppress_tokens",
            "forced_bos_token_id",
            "forced_eos_token_id",
            "exponential_decay_length_penalty",
            "eos_token_id",
            "decoder_start_token_id");

    /** Keys that do not change the tokens generated: metadata, caching, outputs, speculative decoding, compilation. */
    public static final List<String> NO_EFFECT = List.of(
            "transformers_version",
            "bos_token_id",
            "pad_token_id",
            "use_cache",
            "cache_implementation",
            "cache_config",
            "max_cache_len",
            "return_legacy_cache",
            "return_dict_in_generate",
            "output_scores",
            "output_logits",
            "output_attentions",
            "output_hidden_states",
            "remove_invalid_values",
            "low_memory",
            "compile_config",
            "disable_compile",
            "prefill_chunk_size",
            "continuous_batching_config",
            "is_assistant",
            "num_assistant_tokens",
            "num_assistant_tokens_schedule",
            "assistant_confidence_threshold",
            "assistant_early_exit",
            "assistant_lookbehind",
            "target_lookbehind",
            "assistant_ensemble_weight",
            "prompt_lookup_num_tokens",
            "max_matching_ngram_size",
            "speculation_type",
            "use_mtp");

    /** When a refused key would take effect. */
    enum Applies {
        ALWAYS(mode -> true),
        SAMPLING(Mode::sampling),
        BEAMS(Mode::beams);

        private final Predicate<Mode> when;

        Applies(Predicate<Mode> when) {
            this.when = when;
        }
    }

    /** The decoding a request asks for, which decides which keys take effect. */
    record Mode(boolean sampling, boolean beams) {}

    /** A key Infera does not implement, its value that changes nothing, and when it would take effect. */
    private record Refused(Object neutral, Applies applies, String what) {}

    /** Keys that would change the answer and are not implemented, with the value that changes nothing. */
    static final Map<String, Refused> REFUSED = Map.ofEntries(
            Map.entry("typical_p", new Refused(1.0, Applies.SAMPLING, "typical sampling")),
            Map.entry("epsilon_cutoff", new Refused(0.0, Applies.SAMPLING, "epsilon sampling")),
            Map.entry("eta_cutoff", new Refused(0.0, Applies.SAMPLING, "eta sampling")),
            Map.entry("min_p", new Refused(null, Applies.SAMPLING, "min-p sampling")),
            Map.entry("top_h", new Refused(null, Applies.SAMPLING, "top-h sampling")),
            Map.entry("num_beam_groups", new Refused(1, Applies.BEAMS, "diverse (group) beam search")),
            Map.entry("diversity_penalty", new Refused(0.0, Applies.BEAMS, "diverse (group) beam search")),
            Map.entry("penalty_alpha", new Refused(null, Applies.ALWAYS, "contrastive search")),
            Map.entry("dola_layers", new Refused(null, Applies.ALWAYS, "DoLa decoding")),
            Map.entry("guidance_scale", new Refused(1.0, Applies.ALWAYS, "classifier-free guidance")),
            Map.entry("sequence_bias", new Refused(null, Applies.ALWAYS, "sequence biases")),
            Map.entry("encoder_repetition_penalty", new Refused(1.0, Applies.ALWAYS, "the encoder repetition penalty")),
            Map.entry("encoder_no_repeat_ngram_size", new Refused(0, Applies.ALWAYS, "encoder n-gram bans")),
            Map.entry("constraints", new Refused(null, Applies.ALWAYS, "constrained beam search")),
            Map.entry("force_words_ids", new Refused(null, Applies.ALWAYS, "constrained beam search")),
            Map.entry("forced_decoder_ids", new Refused(null, Applies.ALWAYS, "forced decoder tokens")),
            Map.entry("renormalize_logits", new Refused(false, Applies.ALWAYS, "renormalised scores")),
            Map.entry("token_healing", new Refused(false, Applies.ALWAYS, "token healing")),
            Map.entry("watermarking_config", new Refused(null, Applies.ALWAYS, "watermarking")),
            Map.entry("stop_strings", new Refused(null, Applies.ALWAYS, "stop strings (use the stop parameter)")),
            Map.entry("max_time", new Refused(null, Applies.ALWAYS, "a time limit on generation")));

    private final ObjectNode model;
    private final String source;
    private final ObjectNode task;
    private final String taskSource;
    private final ObjectNode values;

    /**
     * @param model      the model's generation settings
     * @param source     the file they came from
     * @param task       config.json's task_specific_params for the served task, which the pipeline lays over them
     * @param taskSource where those came from
     */
    private GenerationConfig(ObjectNode model, String source, ObjectNode task, String taskSource) {
        this.model = model;
        this.source = source;
        this.task = task;
        this.taskSource = taskSource;
        this.values = model.deepCopy();
        this.values.setAll(task);
    }

    /** The keys refused where they would take effect (with a value other than their neutral one). */
    public static Set<String> refusedKeys() {
        return REFUSED.keySet();
    }

    /**
     * Reads generation_config.json, or the generation keys of config.json where there is none, and
     * config.json's task_specific_params for {@code task}, which the pipelines lay over them (after
     * their own defaults, and after the max_length rule: see {@link Decoding}). A prefix there is
     * not a generation key: {@link #taskPrefix()}.
     */
    static GenerationConfig read(TaskContext context, String servedTask) throws ModelLoadException {
        JsonNode config = context.config().json();
        ObjectNode task = JsonNodeFactory.instance.objectNode();
        JsonNode specific = config.path("task_specific_params").path(servedTask);
        if (specific.isObject()) {
            task.setAll((ObjectNode) specific);
        }
        String taskSource = "config.json task_specific_params." + servedTask;
        if (context.files().has("generation_config.json")) {
            JsonNode file;
            try {
                file = context.json()
                        .readTree(context.files()
                                .resolve("generation_config.json")
                                .toFile());
            } catch (IOException e) {
                throw new ModelLoadException("generation_config.json is not valid JSON: " + e.getMessage(), e);
            }
            if (!file.isObject()) {
                throw new ModelLoadException("generation_config.json must hold a JSON object");
            }
            return new GenerationConfig(((ObjectNode) file).deepCopy(), "generation_config.json", task, taskSource);
        }
        ObjectNode fromModel = JsonNodeFactory.instance.objectNode();
        for (Iterator<String> names = config.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (isAttribute(name) && !name.equals("transformers_version")) {
                fromModel.set(name, config.get(name));
            }
        }
        return new GenerationConfig(fromModel, "config.json", task, taskSource);
    }

    /** Whether transformers' GenerationConfig has this attribute (else generate ignores the key). */
    static boolean isAttribute(String key) {
        return HONOURED.contains(key) || NO_EFFECT.contains(key) || REFUSED.containsKey(key);
    }

    /** The file the model's settings came from. */
    String source() {
        return source;
    }

    /** Where a key's value comes from, named in messages. */
    String sourceOf(String key) {
        return task.hasNonNull(key) ? taskSource : source;
    }

    /** Every key as it applies (the model's settings with task_specific_params over them), for typed reads. */
    ObjectNode values() {
        return values;
    }

    /** The key's value when set (present and not null), task_specific_params over the model's settings. */
    Optional<JsonNode> value(String key) {
        JsonNode value = values.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    /** The model's own value of a key, without task_specific_params (the max_length rule reads these). */
    Optional<JsonNode> modelValue(String key) {
        JsonNode value = model.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    /** Whether task_specific_params sets this key. */
    boolean setForTask(String key) {
        return task.hasNonNull(key);
    }

    /** task_specific_params' prefix for the served task, when it has one. */
    Optional<String> taskPrefix() {
        return task.hasNonNull("prefix") ? Optional.of(task.get("prefix").asText()) : Optional.empty();
    }

    /** Keys of the file that generate does not know and ignores, for the load log. */
    List<String> ignoredKeys() {
        List<String> ignored = new ArrayList<>();
        values.fieldNames().forEachRemaining(name -> {
            if (!isAttribute(name) && !name.equals("prefix")) {
                ignored.add(name);
            }
        });
        return ignored;
    }

    /**
     * The keys this model's settings set to something Infera does not implement and that would
     * take effect for this decoding, with what they ask for.
     */
    List<String> refusedFor(Mode mode) {
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, Refused> entry : REFUSED.entrySet()) {
            Optional<JsonNode> value = value(entry.getKey());
            Refused key = entry.getValue();
            if (value.isPresent()
                    && !neutral(value.get(), key.neutral())
                    && key.applies().when.test(mode)) {
                refused.add(
                        sourceOf(entry.getKey()) + " " + entry.getKey() + " " + value.get() + " (" + key.what() + ")");
            }
        }
        refused.sort(null);
        return refused;
    }

    private static boolean neutral(JsonNode value, Object neutral) {
        return switch (neutral) {
            case null -> false;
            case Boolean b -> value.isBoolean() && value.booleanValue() == b;
            case Integer i -> value.isNumber() && value.asDouble() == i;
            case Double d -> value.isNumber() && value.asDouble() == d;
            default -> false;
        };
    }
}
