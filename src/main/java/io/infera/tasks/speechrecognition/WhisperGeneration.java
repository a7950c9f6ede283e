package io.infera.tasks.speechrecognition;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.processing.KnownKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Whisper-style model's generation_config.json and the decoder prompt it implies, as
 * transformers' Whisper generate builds it ({@code _retrieve_init_tokens}): the start of
 * transcript; the language (asked, or detected from the first step's language-token logits where
 * the model has lang_to_id); the task (asked; translate or transcribe; transcribe where only a
 * language is asked; else the forced_decoder_ids' task); then no-timestamps. Without a language or
 * task asked, forced_decoder_ids gives the prompt's positions, a null among them meaning detect.
 *
 * @param start             the start-of-transcript token (decoder_start_token_id)
 * @param eos               the end-of-text tokens
 * @param maxLength         the longest decoder sequence, prompt included (max_length, 448)
 * @param suppressTokens    tokens never generated
 * @param beginSuppressTokens tokens not generated first
 * @param noTimestamps      the no-timestamps token; the timestamp tokens follow it
 * @param languages         language token ids by code ({@code en}), empty for an English-only model
 * @param tasks             task token ids by name (transcribe, translate)
 * @param forced            forced_decoder_ids' tokens from position 1 on (-1 for a null: detect)
 * @param numBeams          the model's num_beams, else the pipeline's 5 (OpenAI's whisper default)
 * @param returnTimestamps  whether the model answers timestamps where a request does not say
 * @param maxInitialTimestampIndex the latest first timestamp, in timestamp steps; -1 for any
 * @param previousText      the token that starts a text prompt (prev_sot_token_id), -1 where the config names none
 */
record WhisperGeneration(
        int start,
        int[] eos,
        int maxLength,
        int[] suppressTokens,
        int[] beginSuppressTokens,
        int noTimestamps,
        Map<String, Integer> languages,
        Map<String, Integer> tasks,
        int[] forced,
        int numBeams,
        boolean returnTimestamps,
        int maxInitialTimestampIndex,
        int previousText) {

    /** The transformers speech recognition pipeline's beams where the model sets none. */
    static final int PIPELINE_BEAMS = 5;

    /** A position of the prompt the model fills itself (the detected language). */
    static final int DETECT = -1;

    /**
     * The keys read, and those that change no answer here: word times (alignment_heads) are
     * refused per request.
     */
    static final KnownKeys KEYS = new KnownKeys(
            "generation_config.json",
            Set.of(
                    "decoder_start_token_id",
                    "eos_token_id",
                    "max_length",
                    "suppress_tokens",
                    "begin_suppress_tokens",
                    "no_timestamps_token_id",
                    "lang_to_id",
                    "task_to_id",
                    "forced_decoder_ids",
                    "is_multilingual",
                    "return_timestamps",
                    "max_initial_timestamp_index",
                    "prev_sot_token_id",
                    "num_beams"),
            Set.of(
                    "transformers_version",
                    "_from_model_config",
                    "bos_token_id",
                    "pad_token_id",
                    "alignment_heads",
                    "use_cache"));

    static WhisperGeneration read(JsonNode json) throws ModelLoadException {
        try {
            KEYS.check(json);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(e.getMessage());
        }
        if (!json.path("decoder_start_token_id").isInt()
                || !json.path("no_timestamps_token_id").isInt()) {
            throw new ModelLoadException(
                    "a Whisper-style model needs generation_config.json decoder_start_token_id and no_timestamps_token_id");
        }
        Map<String, Integer> languages = new LinkedHashMap<>();
        json.path("lang_to_id").properties().forEach(e -> {
            String token = e.getKey();
            languages.put(
                    token.startsWith("<|") && token.endsWith("|>") ? token.substring(2, token.length() - 2) : token,
                    e.getValue().asInt());
        });
        Map<String, Integer> tasks = new LinkedHashMap<>();
        json.path("task_to_id")
                .properties()
                .forEach(e -> tasks.put(e.getKey(), e.getValue().asInt()));
        List<Integer> forced = new ArrayList<>();
        JsonNode pairs = json.path("forced_decoder_ids");
        for (int i = 0; i < pairs.size(); i++) {
            JsonNode pair = pairs.get(i);
            if (pair.path(0).asInt(-1) != i + 1) {
                throw new ModelLoadException("generation_config.json forced_decoder_ids must force positions 1, 2, ... "
                        + "in order (Whisper's prompt pattern), got " + pairs);
            }
            forced.add(pair.path(1).isInt() ? pair.path(1).asInt() : DETECT);
        }
        return new WhisperGeneration(
                json.path("decoder_start_token_id").asInt(),
                ids(json.path("eos_token_id")),
                json.path("max_length").asInt(448),
                ids(json.path("suppress_tokens")),
                ids(json.path("begin_suppress_tokens")),
                json.path("no_timestamps_token_id").asInt(),
                Map.copyOf(languages),
                Map.copyOf(tasks),
                forced.stream().mapToInt(Integer::intValue).toArray(),
                json.path("num_beams").asInt(PIPELINE_BEAMS),
                json.path("return_timestamps").asBoolean(false),
                json.path("max_initial_timestamp_index").isInt()
                        ? json.path("max_initial_timestamp_index").asInt()
                        : -1,
                json.path("prev_sot_token_id").asInt(-1));
    }

    private static int[] ids(JsonNode node) {
        if (node.isInt()) {
            return new int[] {node.asInt()};
        }
        List<Integer> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asInt()));
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The first timestamp token: every id from here on is a time, never text. */
    int timestampBegin() {
        return noTimestamps + 1;
    }

    /**
     * The decoder prompt for a request, {@link #DETECT} where the model is to choose the language.
     *
     * @param language   an ISO-639-1 code or {@code <|code|>}, null for none asked
     * @param task       transcribe or translate, null for none asked
     * @param timestamps whether the model is to write timestamps (else the prompt ends with no-timestamps)
     */
    int[] prompt(String language, String task, boolean timestamps) {
        List<Integer> prompt = new ArrayList<>(List.of(start));
        if (task == null && language == null) {
            for (int token : forced) {
                prompt.add(token);
            }
        }
        Integer languageId = language == null ? null : languageId(language);
        boolean undefined = prompt.size() <= 1 || prompt.get(1) == DETECT;
        Integer chosen = languageId != null ? languageId : !languages.isEmpty() && undefined ? DETECT : null;
        if (chosen != null) {
            if (prompt.size() > 1) {
                prompt.set(1, chosen);
            } else {
                prompt.add(chosen);
            }
        }
        if (task != null) {
            Integer taskId = tasks.get(task);
            if (taskId == null) {
                throw new InvalidInputException(
                        "parameters.task",
                        "must be one of " + new TreeSet<>(tasks.keySet()) + " for this model, got " + task);
            }
            prompt.removeIf(tasks.values()::contains);
            prompt.add(taskId);
        } else if (language != null
                && tasks.containsKey("transcribe")
                && prompt.stream().noneMatch(tasks.values()::contains)) {
            prompt.add(tasks.get("transcribe"));
        }
        if (!timestamps && prompt.getLast() != noTimestamps) {
            prompt.add(noTimestamps);
        } else if (timestamps && prompt.getLast() == noTimestamps) {
            prompt.removeLast();
        }
        if (languages.isEmpty()) {
            prompt.removeIf(t -> t == DETECT); // an English-only model's forced null: nothing to detect
        }
        return prompt.stream().mapToInt(Integer::intValue).toArray();
    }

    private int languageId(String language) {
        String code = language.startsWith("<|") && language.endsWith("|>")
                ? language.substring(2, language.length() - 2)
                : language.toLowerCase(java.util.Locale.ROOT);
        Integer id = languages.get(code);
        if (id == null) {
            throw new InvalidInputException(
                    "parameters.language",
                    languages.isEmpty()
                            ? "this model is English-only: it takes no language"
                            : "must be one of the model's language codes " + new TreeSet<>(languages.keySet())
                                    + ", got " + language);
        }
        return id;
    }

    /**
     * A text prompt's part of the decoder prompt, as transformers' Whisper tokenizer makes it
     * ({@code get_prompt_ids}): the start-of-previous-text token, then the text's tokens.
     *
     * @param previousText the start-of-previous-text token (the config's, else the tokenizer's)
     * @param textIds      the tokens of the text with one leading space
     */
    int[] textPrompt(int previousText, long[] textIds) {
        int[] prompt = new int[textIds.length + 1];
        prompt[0] = previousText;
        for (int i = 0; i < textIds.length; i++) {
            if (textIds[i] >= eos[0]) {
                throw new InvalidInputException(
                        "parameters.prompt",
                        "the prompt's text holds a control or timestamp token (id " + textIds[i] + ")");
            }
            prompt[i + 1] = (int) textIds[i];
        }
        if (prompt.length > maxLength / 2 - 1) {
            throw new InvalidInputException(
                    "parameters.prompt",
                    "the prompt's text is " + textIds.length + " tokens; at most " + (maxLength / 2 - 2) + " fit");
        }
        return prompt;
    }

    /** The timestamp rules of this model's generation. */
    io.infera.generation.TimestampRules timestampRules() {
        return new io.infera.generation.TimestampRules(noTimestamps, eos[0], maxInitialTimestampIndex);
    }

    /** The language tokens detection chooses among. */
    int[] languageIds() {
        return languages.values().stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
