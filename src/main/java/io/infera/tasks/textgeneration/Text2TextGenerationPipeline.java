package io.infera.tasks.textgeneration;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.infera.runtime.TensorSpec;
import io.infera.tasks.AnswerSummary;
import io.infera.tasks.OnnxFileOpener;
import io.infera.tasks.Parameters;
import io.infera.tasks.Pipeline;
import io.infera.tasks.PipelineObserver;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.TextEncoders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * text2text-generation (T5/BART/Marian-style encoder-decoders in optimum's three files), as the
 * transformers pipeline answers it: {@code [{"generated_text": ...}]} (one per sequence asked for)
 * from beam search ({@code num_beams}, {@code length_penalty}, {@code early_stopping}), greedy
 * decoding or sampling, with the processors of {@link Decoding}; a request parameter wins over the
 * model's generation_config.json, which wins over the pipeline's defaults (256 new tokens, 4
 * beams). Items decode on the model's own generation loop
 * ({@link Seq2SeqBatcher}): items waiting together start together and share every step, beams and
 * all; a bounded queue answers 429 beyond it.
 */
public final class Text2TextGenerationPipeline implements Pipeline {

    private final Seq2SeqLm model;
    private final Tokenizer tokenizer;
    private final Decoding.Model decoding;
    private final int maxTextChars;
    private final JsonNode defaultParameters;
    private final Seq2SeqBatcher batcher;
    private final String prefix;
    /** Told of each source's tokens and each answer, for monitoring. */
    private final PipelineObserver observer;

    private Text2TextGenerationPipeline(
            Seq2SeqLm model,
            Seq2SeqBatcher batcher,
            Tokenizer tokenizer,
            Decoding.Model decoding,
            int maxTextChars,
            JsonNode defaultParameters,
            String prefix,
            PipelineObserver observer) {
        this.observer = observer;
        this.prefix = prefix;
        this.model = model;
        this.tokenizer = tokenizer;
        this.decoding = decoding;
        this.maxTextChars = maxTextChars;
        this.defaultParameters = defaultParameters;
        this.batcher = batcher;
    }

    /** @param encoder the model's encoder_model.onnx, opened by the registry */
    public static Text2TextGenerationPipeline load(
            TaskContext context,
            Backend encoder,
            OnnxFileOpener opener,
            GenerationLimits limits,
            int maxNewTokens,
            int maxTextChars,
            GenerationObserver observer)
            throws ModelLoadException {
        // optimum writes either both decoders or one merged decoder that does both (use_cache_branch)
        boolean merged = context.files().has("decoder_model_merged.onnx")
                && !context.files().has("decoder_model.onnx");
        Backend first = opener.open(merged ? "decoder_model_merged.onnx" : "decoder_model.onnx");
        Backend later = null;
        try {
            later = merged ? first : opener.open("decoder_with_past_model.onnx");
            Seq2SeqLm lm = Seq2SeqLm.of(encoder, first, later);
            TensorSpec logits = first.outputs().stream()
                    .filter(o -> o.name().equals("logits"))
                    .findFirst()
                    .orElseThrow(() -> new ModelLoadException("the decoder has no logits output"));
            Decoding.Model decoding =
                    Decoding.Model.load(context, Decoding.PipelineDefaults.TEXT2TEXT_GENERATION, logits, maxNewTokens);
            Tokenizer tokenizer = TextEncoders.tokenizer(context);
            return new Text2TextGenerationPipeline(
                    lm,
                    new Seq2SeqBatcher(context.modelName(), lm, limits, observer).start(),
                    tokenizer,
                    decoding,
                    maxTextChars,
                    context.settings().defaultParameters(),
                    decoding.prefix(),
                    context.observer());
        } catch (ModelLoadException | RuntimeException e) {
            first.close();
            if (later != null && later != first) {
                later.close();
            }
            throw e;
        }
    }

    @Override
    public void admit() {
        batcher.admit();
    }

    @Override
    public Optional<Tokenizer> tokenizer() {
        return Optional.of(tokenizer);
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
        long deadline =
                Pipeline.deadline(start, timeoutMs.isPresent() ? Duration.ofMillis(timeoutMs.getAsInt()) : timeout);
        Decoding parsed = Decoding.read(reader, decoding);
        reader.rejectUnread(taskType().wireName());
        Seq2SeqSettings settings = parsed.seq2seq(decoding.decoderStart());
        List<int[]> sources = new ArrayList<>();
        for (TaskInput input : inputs) {
            Pipeline.checkTextLength(input.text(), input.field(), maxTextChars);
            String text =
                    prefix + input.text(); // the model's prefix, as the pipeline puts it first (T5's task prefixes)
            long[] ids = tokenizer.encode(text, null).ids();
            if (input.text().isBlank() || ids.length == 0) {
                throw new InvalidInputException(input.field(), "the text is empty");
            }
            observer.text(ids.length, 0, false);
            sources.add(Arrays.stream(ids).mapToInt(Math::toIntExact).toArray());
        }
        // beam search answers its best beams; sampling draws each sequence in a search of its own, with its own seed
        int draws = settings.numBeams() > 1 ? 1 : parsed.numReturnSequences();
        List<List<CompletableFuture<List<int[]>>>> running = new ArrayList<>(sources.size());
        try {
            for (int[] source : sources) {
                List<CompletableFuture<List<int[]>>> searches = new ArrayList<>(draws);
                running.add(searches);
                for (int draw = 0; draw < draws; draw++) {
                    searches.add(
                            batcher.submit(source, draw == 0 ? settings : withSeedOffset(settings, draw), deadline));
                }
            }
        } catch (RuntimeException e) {
            running.forEach(searches -> searches.forEach(r -> r.cancel(false)));
            throw e;
        }
        List<CompletableFuture<List<int[]>>> all =
                running.stream().flatMap(List::stream).toList();
        CompletableFuture<List<Object>> answer = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(done -> running.stream()
                        .map(searches -> (Object) answer(searches))
                        .toList());
        answer.thenAccept(results -> {
            if (observer.watchesAnswers()) {
                results.forEach(result -> observer.answered(AnswerSummary.of(result)));
            }
        });
        answer.whenComplete((results, error) -> {
            if (error != null) {
                all.forEach(r -> r.cancel(false)); // one failed, or the client went away: the others stop too
            }
        });
        return answer;
    }

    /**
     * A list of texts answers one generated_text per text where each has one sequence, as the
     * pipeline flattens it ({@code [{...}, {...}]}); with several sequences each, a list per text.
     */
    @Override
    public List<Object> batchAnswer(List<Object> results) {
        boolean single = results.stream().allMatch(r -> r instanceof List<?> sequences && sequences.size() == 1);
        return single
                ? results.stream()
                        .map(r -> ((List<?>) r).getFirst())
                        .map(Object.class::cast)
                        .toList()
                : results;
    }

    private static Seq2SeqSettings withSeedOffset(Seq2SeqSettings settings, int offset) {
        GenerationSettings generation = settings.generation();
        if (generation.seed().isEmpty()) {
            return settings;
        }
        return new Seq2SeqSettings(
                generation.withSeed(OptionalLong.of(generation.seed().getAsLong() + offset)),
                settings.numBeams(),
                settings.lengthPenalty(),
                settings.earlyStopping(),
                settings.decoderPrompt(),
                settings.numReturnSequences(),
                settings.promptChoices());
    }

    private List<Map<String, String>> answer(List<CompletableFuture<List<int[]>>> searches) {
        List<Map<String, String>> sequences = new ArrayList<>();
        for (CompletableFuture<List<int[]>> search : searches) {
            for (int[] generated : search.join()) {
                sequences.add(Map.of(
                        "generated_text",
                        tokenizer.decode(Arrays.stream(generated).asLongStream().toArray(), true)));
            }
        }
        return sequences;
    }

    @Override
    public void close(Duration grace) {
        batcher.close(grace);
        model.close();
        tokenizer.close();
    }
}
