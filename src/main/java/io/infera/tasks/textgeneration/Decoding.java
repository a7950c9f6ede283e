package io.infera.tasks.textgeneration;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.generation.GenerationSettings;
import io.infera.generation.LogitsProcessors;
import io.infera.generation.Seq2SeqSettings;
import io.infera.runtime.TensorSpec;
import io.infera.tasks.Parameters;
import io.infera.tasks.TaskContext;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The decoding one request asks for, settled as the transformers pipelines settle it: a request
 * parameter over the model's generation settings ({@link GenerationConfig}) over the pipeline's
 * defaults over transformers' own. One exception, also the pipelines': when neither the request
 * nor the model sets max_new_tokens and the model sets max_length, max_length limits the length
 * (for a decoder-only model it counts the prompt).
 *
 * @param maxNewTokens       the most tokens generated (for a decoder-only model under a max_length, before the prompt is known)
 * @param maxLength          the model's max_length when it limits the length (prompt included for decoder-only models)
 * @param maxNewTokensAsked  whether the request set max_new_tokens (else a default may shrink to fit a long prompt)
 * @param numBeams           1 for greedy decoding or sampling
 * @param numReturnSequences sequences answered per input
 */
record Decoding(
        int maxNewTokens,
        OptionalInt maxLength,
        boolean maxNewTokensAsked,
        boolean doSample,
        double temperature,
        int topK,
        double topP,
        OptionalLong seed,
        int[] eosTokenIds,
        LogitsProcessors processors,
        int numBeams,
        double lengthPenalty,
        Seq2SeqSettings.EarlyStopping earlyStopping,
        int numReturnSequences) {

    private static final Logger LOG = Logger.getLogger(Decoding.class);

    /** transformers' default max_length, which means "not set" in the pipelines' length rule. */
    private static final int DEFAULT_MAX_LENGTH = 20;

    private static final int MAX_BEAMS = 16;
    private static final int MAX_RETURN_SEQUENCES = 16;

    /** What a pipeline sets over transformers' defaults (its {@code _default_generation_config}). */
    record PipelineDefaults(
            int maxNewTokens, boolean doSample, double temperature, int numBeams, boolean encoderDecoder) {
        /** transformers' text-generation pipeline: 256 new tokens, sampling at temperature 0.7. */
        static final PipelineDefaults TEXT_GENERATION = new PipelineDefaults(256, true, 0.7, 1, false);
        /** transformers' text2text-generation pipeline: 256 new tokens, beam search with 4 beams. */
        static final PipelineDefaults TEXT2TEXT_GENERATION = new PipelineDefaults(256, false, 1.0, 4, true);
    }

    /**
     * What the model knows that decoding needs.
     *
     * @param config            the model's generation settings
     * @param defaults          the pipeline's defaults
     * @param eosTokenIds       end tokens (generation settings, else config.json)
     * @param decoderStart      an encoder-decoder's first decoder token (generation settings, else config.json; 0 if neither)
     * @param vocabularySize    the number of logits: token ids in parameters must be below it
     * @param maxNewTokensLimit the server's limit on max_new_tokens
     * @param prefix            what text2text-generation puts before every text (config.json's prefix, or the task's)
     */
    record Model(
            GenerationConfig config,
            PipelineDefaults defaults,
            int[] eosTokenIds,
            int decoderStart,
            int vocabularySize,
            int maxNewTokensLimit,
            String prefix) {

        /**
         * Reads the model's generation settings and checks its values once: a value that generate
         * would refuse fails the load, naming its key.
         *
         * @param logits the decoder's logits output, whose last axis is the vocabulary
         */
        static Model load(TaskContext context, PipelineDefaults defaults, TensorSpec logits, int maxNewTokensLimit)
                throws ModelLoadException {
            String task = defaults.encoderDecoder() ? "text2text-generation" : "text-generation";
            GenerationConfig config = GenerationConfig.read(context, task);
            JsonNode modelConfig = context.config().json();
            String prefix =
                    config.taskPrefix().orElse(modelConfig.path("prefix").asText(""));
            if (!defaults.encoderDecoder() && !prefix.isEmpty()) {
                throw new ModelLoadException(
                        "config.json prefix (or task_specific_params.text-generation.prefix) is not implemented "
                                + "for text-generation: the pipeline would put \"" + prefix + "\" before every prompt");
            }
            JsonNode eos = config.value("eos_token_id").orElse(modelConfig.path("eos_token_id"));
            JsonNode start = config.value("decoder_start_token_id").orElse(modelConfig.path("decoder_start_token_id"));
            long declared = logits.rank() == 3 ? logits.shape()[2] : -1;
            int vocabulary = declared > 0
                    ? (int) declared
                    : modelConfig.path("vocab_size").asInt(0) > 0
                            ? modelConfig.path("vocab_size").asInt()
                            : Integer.MAX_VALUE;
            Model model = new Model(
                    config,
                    defaults,
                    tokenIds(eos),
                    start.isInt() ? start.asInt() : 0,
                    vocabulary,
                    maxNewTokensLimit,
                    prefix);
            model.check();
            List<String> ignored = config.ignoredKeys();
            if (!ignored.isEmpty()) {
                LOG.infof(
                        "model %s: %s keys that transformers' generate does not read are ignored, as it ignores them: %s",
                        context.modelName(), config.source(), ignored);
            }
            return model;
        }

        private void check() throws ModelLoadException {
            try {
                read(Parameters.of(null), this, false);
            } catch (InvalidInputException e) {
                // "parameters (generation_config.json top_k): ..." -> "generation_config.json top_k: ..."
                throw new ModelLoadException(e.getMessage().replaceFirst("^parameters \\((.*?)\\): ", "$1: "), e);
            }
        }
    }

    /** A token id or a list of them (eos_token_id may be either). */
    static int[] tokenIds(JsonNode node) {
        List<Integer> ids = new ArrayList<>();
        if (node.isInt()) {
            ids.add(node.asInt());
        } else if (node.isArray()) {
            node.forEach(n -> ids.add(n.asInt()));
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Reads a request's parameters; every key a read touches counts as known to the request's rejectUnread. */
    static Decoding read(Parameters request, Model model) {
        return read(request, model, true);
    }

    /** A request asks for max_new_tokens: the pipelines let the default max_new_tokens win over a requested max_length. */
    private static void refuseRequestedMaxLength(Parameters request) {
        if (request.has("max_length") && request.raw("max_length") != null) {
            throw new InvalidInputException(
                    "parameters.max_length",
                    "use max_new_tokens (the pipelines let the default max_new_tokens win over a requested max_length)");
        }
    }

    private static Decoding read(Parameters request, Model model, boolean refuseUnsupported) {
        GenerationConfig config = model.config();
        Layers p = new Layers(request, Parameters.of(config.values()), config);
        PipelineDefaults defaults = model.defaults();
        boolean asked = p.requested("max_new_tokens");
        int limit = model.maxNewTokensLimit();
        int maxNewTokens = asked
                ? p.request.integer("max_new_tokens", 1, 1, limit)
                : Math.min(p.configured("max_new_tokens", defaults.maxNewTokens()), limit);
        OptionalInt maxLength = OptionalInt.empty();
        // The pipelines' rule, on the model's own settings: max_length limits the length where the
        // model sets it and not max_new_tokens. task_specific_params come after the rule: their
        // max_length counts only where the rule applied.
        int modelMaxLength =
                config.modelValue("max_length").map(JsonNode::asInt).orElse(DEFAULT_MAX_LENGTH);
        if (!asked
                && !config.setForTask("max_new_tokens")
                && config.modelValue("max_new_tokens").isEmpty()
                && modelMaxLength != DEFAULT_MAX_LENGTH) {
            int lengthLimit = p.configured("max_length", DEFAULT_MAX_LENGTH);
            maxLength = OptionalInt.of(lengthLimit);
            // an encoder-decoder's max_length counts the decoder's start token
            maxNewTokens = Math.min(defaults.encoderDecoder() ? Math.max(1, lengthLimit - 1) : lengthLimit, limit);
        }
        refuseRequestedMaxLength(request);
        boolean doSample = p.bool("do_sample", defaults.doSample());
        double temperature = p.decimal("temperature", defaults.temperature(), 0, 100);
        if (doSample && temperature == 0) {
            throw new InvalidInputException(
                    "parameters.temperature", "must be above 0 when sampling (do_sample false is greedy)");
        }
        int topK = p.integer("top_k", 50, 0, Integer.MAX_VALUE);
        double topP = p.decimal("top_p", 1.0, 0, 1);
        if (doSample && topP == 0) {
            throw new InvalidInputException("parameters.top_p", "must be above 0");
        }
        double repetitionPenalty = p.decimal("repetition_penalty", 1.0, 0, 100);
        if (repetitionPenalty == 0) {
            throw new InvalidInputException("parameters.repetition_penalty", "must be above 0 (1 for none)");
        }
        // the pipeline's beams are for beam search: sampling without a beam count draws one sequence
        int numBeams = p.integer("num_beams", doSample ? 1 : defaults.numBeams(), 1, MAX_BEAMS);
        double lengthPenalty = p.decimal("length_penalty", 1.0, -10, 10);
        Seq2SeqSettings.EarlyStopping earlyStopping = earlyStopping(p.raw("early_stopping"), p.where("early_stopping"));
        int numReturnSequences = p.integer("num_return_sequences", 1, 1, MAX_RETURN_SEQUENCES);
        int vocabulary = model.vocabularySize();
        int forcedBos = p.integer("forced_bos_token_id", -1, 0, vocabulary - 1);
        int[] forcedEos = p.tokenIds("forced_eos_token_id", vocabulary);
        int minLength = p.integer("min_length", 0, 0, Integer.MAX_VALUE);
        LogitsProcessors processors = new LogitsProcessors(
                repetitionPenalty,
                p.integer("no_repeat_ngram_size", 0, 0, Integer.MAX_VALUE),
                p.badWords("bad_words_ids", vocabulary),
                // generate replaces min_length by min_new_tokens + the input's length whenever
                // min_new_tokens is set, even to 0
                p.has("min_new_tokens") ? 0 : minLength,
                p.integer("min_new_tokens", 0, 0, Integer.MAX_VALUE),
                forcedBos,
                forcedEos,
                decayStart(p),
                decayFactor(p),
                p.tokenIds("suppress_tokens", vocabulary),
                p.tokenIds("begin_suppress_tokens", vocabulary),
                null);
        Decoding decoding = new Decoding(
                maxNewTokens,
                maxLength,
                asked,
                doSample,
                temperature,
                topK,
                topP,
                request.optionalLong("seed"),
                model.eosTokenIds(),
                processors,
                numBeams,
                lengthPenalty,
                earlyStopping,
                numReturnSequences);
        if (refuseUnsupported) {
            decoding.refuseWhatIsNotImplemented(p, model);
        }
        return decoding;
    }

    /** Refuses the combinations Infera does not implement, naming the parameter or the model's key that asks for them. */
    private void refuseWhatIsNotImplemented(Layers p, Model model) {
        if (!model.defaults().encoderDecoder() && numBeams > 1) {
            throw new InvalidInputException(
                    p.where("num_beams"),
                    "num_beams " + numBeams + ": beam search is not "
                            + "implemented for text-generation models; send num_beams 1 (greedy decoding or sampling)");
        }
        if (doSample && numBeams > 1) {
            throw new InvalidInputException(
                    p.where("num_beams"),
                    "sampling draws one sequence per beam-free search "
                            + "(num_beams 1); beam sampling is not implemented");
        }
        if (numReturnSequences > 1 && !doSample && numReturnSequences > numBeams) {
            throw new InvalidInputException(
                    p.where("num_return_sequences"),
                    "num_return_sequences " + numReturnSequences
                            + (numBeams > 1
                                    ? " is more than num_beams " + numBeams
                                    : " needs sampling (do_sample true) or beam search: "
                                            + "greedy decoding gives one sequence"));
        }
        List<String> refused = model.config().refusedFor(new GenerationConfig.Mode(doSample, numBeams > 1));
        if (!refused.isEmpty()) {
            throw new InvalidInputException(
                    "parameters",
                    "this model's " + String.join(", ", refused)
                            + " would change the answer and is not implemented; the request cannot be answered as transformers would");
        }
    }

    /** early_stopping: true, false or "never" (default false). */
    private static Seq2SeqSettings.EarlyStopping earlyStopping(JsonNode value, String field) {
        if (value == null || value.isMissingNode() || value.isNull() || (value.isBoolean() && !value.asBoolean())) {
            return Seq2SeqSettings.EarlyStopping.FALSE;
        }
        if (value.isBoolean()) {
            return Seq2SeqSettings.EarlyStopping.TRUE;
        }
        if ("never".equals(value.asText())) {
            return Seq2SeqSettings.EarlyStopping.NEVER;
        }
        throw new InvalidInputException(field, "must be true, false or \"never\", got " + value);
    }

    private static int decayStart(Layers p) {
        JsonNode pair = p.raw("exponential_decay_length_penalty");
        if (pair == null) {
            return -1;
        }
        decayPair(pair, p.where("exponential_decay_length_penalty"));
        return pair.get(0).asInt();
    }

    private static double decayFactor(Layers p) {
        JsonNode pair = p.raw("exponential_decay_length_penalty");
        return pair == null ? 1.0 : pair.get(1).asDouble();
    }

    private static void decayPair(JsonNode pair, String field) {
        if (!pair.isArray()
                || pair.size() != 2
                || !pair.get(0).isIntegralNumber()
                || pair.get(0).asInt() < 0
                || !pair.get(1).isNumber()
                || !(pair.get(1).asDouble() > 0)) {
            throw new InvalidInputException(
                    field, "expected [start_index, decay_factor] (an integer >= 0 and a number > 0), got " + pair);
        }
    }

    /** The settings of one sequence of a decoder-only model, for a prompt of this many tokens. */
    GenerationSettings settings(int tokens) {
        return new GenerationSettings(tokens, doSample, temperature, topK, topP, seed, eosTokenIds, processors);
    }

    /** An encoder-decoder's settings. */
    Seq2SeqSettings seq2seq(int decoderStart) {
        return new Seq2SeqSettings(
                settings(maxNewTokens),
                numBeams,
                lengthPenalty,
                earlyStopping,
                decoderStart,
                numBeams > 1 ? numReturnSequences : 1);
    }

    /**
     * A request parameter where the request sets it, else the model's setting: typed reads with the
     * request's names in errors (the model's values were checked at load).
     */
    private static final class Layers {
        final Parameters request;
        final Parameters config;
        final GenerationConfig sources;

        Layers(Parameters request, Parameters config, GenerationConfig sources) {
            this.request = request;
            this.config = config;
            this.sources = sources;
        }

        /** Whether the request sets the key (present and not null). */
        boolean requested(String key) {
            return request.has(key) && request.raw(key) != null;
        }

        boolean has(String key) {
            return requested(key) || config.raw(key) != null;
        }

        /** The request's field or the model's key, for errors about a value from either. */
        String where(String key) {
            return requested(key) ? "parameters." + key : "parameters (" + sources.sourceOf(key) + " " + key + ")";
        }

        int integer(String key, int fallback, int min, int max) {
            return read(key, layer -> layer.integer(key, fallback, min, max));
        }

        double decimal(String key, double fallback, double min, double max) {
            return read(key, layer -> layer.decimal(key, fallback, min, max));
        }

        boolean bool(String key, boolean fallback) {
            return read(key, layer -> layer.bool(key, fallback));
        }

        JsonNode raw(String key) {
            return read(key, layer -> layer.raw(key));
        }

        /** The model's own value of a key (not the request's). */
        int configured(String key, int fallback) {
            return fromConfig(key, () -> config.integer(key, fallback, 1, Integer.MAX_VALUE));
        }

        private <T> T read(String key, Function<Parameters, T> reader) {
            return requested(key) ? reader.apply(request) : fromConfig(key, () -> reader.apply(config));
        }

        /** Errors about the model's values name the file and key, not a request field. */
        private <T> T fromConfig(String key, Supplier<T> reader) {
            try {
                return reader.get();
            } catch (InvalidInputException e) {
                throw new InvalidInputException(
                        where(key), e.getMessage().substring(e.field().length() + 2));
            }
        }

        /** A token id or a list of them, each below the vocabulary size. */
        int[] tokenIds(String key, int vocabulary) {
            JsonNode value = raw(key);
            if (value == null) {
                return new int[0];
            }
            List<JsonNode> items = new ArrayList<>();
            if (value.isArray()) {
                value.forEach(items::add);
            } else {
                items.add(value);
            }
            int[] ids = new int[items.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = tokenId(items.get(i), key, vocabulary);
            }
            return ids;
        }

        /** A list of token-id lists, none empty. */
        int[][] badWords(String key, int vocabulary) {
            JsonNode value = raw(key);
            if (value == null) {
                return new int[0][];
            }
            if (!value.isArray() || value.isEmpty()) {
                throw new InvalidInputException(
                        where(key), "expected a non-empty list of token-id lists, got " + value);
            }
            int[][] words = new int[value.size()][];
            for (int w = 0; w < words.length; w++) {
                JsonNode word = value.get(w);
                if (!word.isArray() || word.isEmpty()) {
                    throw new InvalidInputException(
                            where(key), "item " + w + " must be a non-empty list of token ids, got " + word);
                }
                words[w] = new int[word.size()];
                for (int t = 0; t < word.size(); t++) {
                    words[w][t] = tokenId(word.get(t), key, vocabulary);
                }
            }
            return words;
        }

        private int tokenId(JsonNode id, String key, int vocabulary) {
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.asInt() < 0 || id.asInt() >= vocabulary) {
                throw new InvalidInputException(
                        where(key), "token ids must be integers from 0 to " + (vocabulary - 1) + ", got " + id);
            }
            return id.asInt();
        }
    }
}
