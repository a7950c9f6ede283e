package io.infera.tasks.textgeneration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.infera.batching.BatchingMode;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.generation.GenerationLimits;
import io.infera.generation.GenerationObserver;
import io.infera.generation.GenerationSettings;
import io.infera.generation.Seq2SeqBatcher;
import io.infera.generation.Seq2SeqLm;
import io.infera.generation.Seq2SeqSettings;
import io.infera.processing.text.Tokenizer;
import io.infera.runtime.Backend;
import io.infera.tasks.Parameters;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.TextEncoders;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * text2text-generation (T5/BART/Marian-style encoder-decoders in optimum's three files), as the
 * transformers pipeline answers it: {@code [{"generated_text": ...}]} from beam search ({@code
 * num_beams}, 4 by default as the pipeline's, {@code length_penalty}, {@code early_stopping}) or
 * greedy decoding ({@code num_beams: 1}). Items decode on the model's own generation loop
 * ({@link Seq2SeqBatcher}): items waiting together start together and share every step, beams and
 * all; a bounded queue answers 429 beyond it.
 */
public final class Text2TextGenerationPipeline implements Pipeline {

    /** Opens another ONNX file of the model (its decoders). */
    @FunctionalInterface
    public interface Opener {
        Backend open(String file) throws ModelLoadException;
    }

    private final Seq2SeqLm model;
    private final Tokenizer tokenizer;
    private final JsonNode generationConfig;
    private final JsonNode config;
    private final int maxNewTokensLimit;
    private final int maxTextChars;
    private final JsonNode defaultParameters;
    private final Seq2SeqBatcher batcher;

    private Text2TextGenerationPipeline(Seq2SeqLm model, Seq2SeqBatcher batcher, Tokenizer tokenizer, JsonNode generationConfig,
                                        JsonNode config, int maxNewTokensLimit, int maxTextChars, JsonNode defaultParameters) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.generationConfig = generationConfig;
        this.config = config;
        this.maxNewTokensLimit = maxNewTokensLimit;
        this.maxTextChars = maxTextChars;
        this.defaultParameters = defaultParameters;
        this.batcher = batcher;
    }

    /** @param encoder the model's encoder_model.onnx, opened by the registry */
    public static Text2TextGenerationPipeline load(TaskContext context, Backend encoder, Opener opener, GenerationLimits limits,
                                                   int maxNewTokens, int maxTextChars, GenerationObserver observer)
            throws ModelLoadException {
        JsonNode generation = MissingNode.getInstance();
        if (context.files().has("generation_config.json")) {
            try {
                generation = context.json().readTree(context.files().resolve("generation_config.json").toFile());
            } catch (IOException e) {
                throw new ModelLoadException("generation_config.json is not valid JSON: " + e.getMessage(), e);
            }
        }
        // optimum writes either both decoders or one merged decoder that does both (use_cache_branch)
        boolean merged = context.files().has("decoder_model_merged.onnx") && !context.files().has("decoder_model.onnx");
        Backend first = opener.open(merged ? "decoder_model_merged.onnx" : "decoder_model.onnx");
        Backend later = null;
        try {
            later = merged ? first : opener.open("decoder_with_past_model.onnx");
            Seq2SeqLm lm = Seq2SeqLm.of(encoder, first, later);
            Tokenizer tokenizer = TextEncoders.tokenizer(context);
            return new Text2TextGenerationPipeline(lm, new Seq2SeqBatcher(context.modelName(), lm, limits, observer).start(), tokenizer,
                    generation, context.config().json(), maxNewTokens, maxTextChars, context.settings().defaultParameters());
        } catch (ModelLoadException | RuntimeException e) {
            first.close();
            if (later != null && later != first) {
                later.close();
            }
            throw e;
        }
    }

    @Override
    public TaskType taskType() {
        return TaskType.TEXT2TEXT_GENERATION;
    }

    @Override
    public Optional<BatchingMode> batching() {
        return Optional.of(model.batching());
    }

    @Override
    public CompletableFuture<List<Object>> predict(List<TaskInput> inputs, JsonNode parameters, Duration timeout) {
        long start = System.nanoTime();
        Parameters reader = Parameters.of(Pipeline.withDefaults(defaultParameters, parameters));
        var timeoutMs = reader.count(TIMEOUT_PARAMETER, java.util.OptionalInt.empty());
        long deadline = Pipeline.deadline(start, timeoutMs.isPresent() ? Duration.ofMillis(timeoutMs.getAsInt()) : timeout);
        Seq2SeqSettings settings = settings(reader);
        reader.rejectUnread(taskType().wireName());
        List<int[]> sources = new ArrayList<>();
        for (TaskInput input : inputs) {
            String text = input.text();
            Pipeline.checkTextLength(text, input.field(), maxTextChars);
            long[] ids = tokenizer.encode(text, null).ids();
            if (text.isBlank() || ids.length == 0) {
                throw new InvalidInputException(input.field(), "the text is empty");
            }
            sources.add(java.util.Arrays.stream(ids).mapToInt(Math::toIntExact).toArray());
        }
        List<CompletableFuture<int[]>> running = new ArrayList<>(sources.size());
        try {
            for (int[] source : sources) {
                running.add(batcher.submit(source, settings, deadline));
            }
        } catch (RuntimeException e) {
            running.forEach(r -> r.cancel(false));
            throw e;
        }
        CompletableFuture<List<Object>> answer = CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                .thenApply(done -> running.stream().map(r -> (Object) answer(r.join())).toList());
        answer.whenComplete((results, error) -> {
            if (error != null) {
                running.forEach(r -> r.cancel(false)); // one failed, or the client went away: the others stop too
            }
        });
        return answer;
    }

    private Object answer(int[] generated) {
        String text = tokenizer.decode(java.util.Arrays.stream(generated).asLongStream().toArray(), true);
        return List.of(Map.of("generated_text", text));
    }

    private Seq2SeqSettings settings(Parameters p) {
        // The pipeline's defaults (256 new tokens, 4 beams) unless generation_config.json sets other than transformers' own.
        int maxLength = generationConfig.path("max_length").asInt(20);
        int defaultMax = generationConfig.path("max_new_tokens").isInt() ? generationConfig.path("max_new_tokens").asInt()
                : maxLength != 20 ? maxLength - 1 : 256; // max_length counts the decoder's start token
        int maxNewTokens = p.integer("max_new_tokens", Math.min(defaultMax, maxNewTokensLimit), 1, maxNewTokensLimit);
        boolean sample = p.bool("do_sample", generationConfig.path("do_sample").asBoolean(false));
        int configuredBeams = generationConfig.path("num_beams").asInt(1);
        // sampling draws one sequence: the pipeline's 4 beams apply to beam search only
        int numBeams = p.integer("num_beams", sample ? 1 : configuredBeams != 1 ? configuredBeams : 4, 1, 16);
        if (sample && numBeams > 1) {
            throw new InvalidInputException("parameters.num_beams", "sampling draws one sequence (num_beams 1); beam sampling is not supported");
        }
        double lengthPenalty = p.decimal("length_penalty", generationConfig.path("length_penalty").asDouble(1.0), -10, 10);
        JsonNode requested = p.raw("early_stopping");
        Seq2SeqSettings.EarlyStopping early = earlyStopping(requested != null ? requested : generationConfig.path("early_stopping"));
        double temperature = p.decimal("temperature", generationConfig.path("temperature").asDouble(1.0), 0, 100);
        if (sample && temperature == 0) {
            throw new InvalidInputException("parameters.temperature", "must be above 0 when sampling");
        }
        double penalty = p.decimal("repetition_penalty", generationConfig.path("repetition_penalty").asDouble(1.0), 0, 100);
        if (penalty == 0) {
            throw new InvalidInputException("parameters.repetition_penalty", "must be above 0 (1 for none)");
        }
        GenerationSettings generation = new GenerationSettings(maxNewTokens, sample, temperature,
                p.integer("top_k", generationConfig.path("top_k").asInt(50), 0, Integer.MAX_VALUE),
                p.decimal("top_p", generationConfig.path("top_p").asDouble(1.0), 0, 1), penalty, p.optionalLong("seed"), eos());
        return new Seq2SeqSettings(generation, numBeams, lengthPenalty, early, tokenId("decoder_start_token_id", 0),
                tokenId("forced_bos_token_id", -1), tokenId("forced_eos_token_id", -1));
    }

    /** early_stopping: true, false or "never", from the request or generation_config.json (default false). */
    private static Seq2SeqSettings.EarlyStopping earlyStopping(JsonNode value) {
        if (value.isMissingNode() || value.isNull() || (value.isBoolean() && !value.asBoolean())) {
            return Seq2SeqSettings.EarlyStopping.FALSE;
        }
        if (value.isBoolean()) {
            return Seq2SeqSettings.EarlyStopping.TRUE;
        }
        if ("never".equals(value.asText())) {
            return Seq2SeqSettings.EarlyStopping.NEVER;
        }
        throw new InvalidInputException("parameters.early_stopping", "must be true, false or \"never\", got " + value);
    }

    private int tokenId(String name, int fallback) {
        JsonNode value = generationConfig.has(name) ? generationConfig.path(name) : config.path(name);
        return value.isInt() ? value.asInt() : fallback;
    }

    private int[] eos() {
        return GenerationDefaults.tokenIds(generationConfig.has("eos_token_id") ? generationConfig.path("eos_token_id")
                : config.path("eos_token_id"));
    }

    @Override
    public void close(Duration grace) {
        batcher.close(grace);
        model.close();
        tokenizer.close();
    }
}
