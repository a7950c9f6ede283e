package io.infera.tasks.speechrecognition;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.batching.BatchingMode;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.generation.GenerationLimits;
import io.infera.generation.GenerationObserver;
import io.infera.generation.GenerationSettings;
import io.infera.generation.LogitsProcessors;
import io.infera.generation.Seq2SeqBatcher;
import io.infera.generation.Seq2SeqLm;
import io.infera.generation.Seq2SeqSettings;
import io.infera.processing.text.Tokenizer;
import io.infera.runtime.Backend;
import io.infera.runtime.Tensor;
import io.infera.tasks.AnswerSummary;
import io.infera.tasks.AudioInputs;
import io.infera.tasks.OnnxFileOpener;
import io.infera.tasks.Parameters;
import io.infera.tasks.Pipeline;
import io.infera.tasks.PipelineObserver;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.TextEncoders;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Speech recognition with Whisper-style encoder-decoders in optimum's files (encoder_model.onnx
 * over the log-mel spectrogram of a clip padded to 30 s, decoder_model.onnx and
 * decoder_with_past_model.onnx), as the transformers pipeline answers it: {@code {"text": ...}}
 * decoded from the prompt {@link WhisperGeneration} builds (language asked or detected, task,
 * no timestamps) by beam search ({@code num_beams}: the model's, else the pipeline's 5; 1 is
 * greedy), the length limited by max_length (448, the prompt included), with generation_config.json's
 * suppress_tokens and begin_suppress_tokens. Clips decode on the model's generation loop
 * ({@link Seq2SeqBatcher}): clips waiting together share every decoder step.
 *
 * <p>Not implemented, refused with 400 naming the parameter: timestamps ({@code
 * return_timestamps}), clips longer than the model's 30 s window ({@code chunk_length_s}), text
 * prompts.
 */
public final class WhisperRecognition implements Pipeline {

    private static final int MAX_BEAMS = 8;

    private final Seq2SeqLm model;
    private final Seq2SeqBatcher batcher;
    private final AudioInputs audio;
    private final Tokenizer tokenizer;
    private final WhisperGeneration generation;
    private final int maxNewTokensLimit;
    private final JsonNode defaultParameters;
    private final PipelineObserver observer;

    private WhisperRecognition(
            Seq2SeqLm model,
            Seq2SeqBatcher batcher,
            AudioInputs audio,
            Tokenizer tokenizer,
            WhisperGeneration generation,
            int maxNewTokensLimit,
            JsonNode defaultParameters,
            PipelineObserver observer) {
        this.model = model;
        this.batcher = batcher;
        this.audio = audio;
        this.tokenizer = tokenizer;
        this.generation = generation;
        this.maxNewTokensLimit = maxNewTokensLimit;
        this.defaultParameters = defaultParameters;
        this.observer = observer;
    }

    /** Whether a model folder is a Whisper-style encoder-decoder (an encoder over log-mel features and its decoders). */
    public static boolean isWhisperStyle(TaskContext context) {
        return context.files().has("encoder_model.onnx")
                && context.input(AudioInputs.INPUT_FEATURES).isPresent();
    }

    /** @param encoder the model's encoder_model.onnx, opened by the registry */
    public static WhisperRecognition load(
            TaskContext context,
            Backend encoder,
            OnnxFileOpener opener,
            GenerationLimits limits,
            int maxNewTokens,
            GenerationObserver generationObserver)
            throws ModelLoadException {
        if (!context.files().has("generation_config.json")) {
            throw new ModelLoadException("a Whisper-style model needs its generation_config.json "
                    + "(decoder_start_token_id, no_timestamps_token_id, lang_to_id ...)");
        }
        WhisperGeneration generation;
        try {
            generation = WhisperGeneration.read(context.json()
                    .readTree(context.files().resolve("generation_config.json").toFile()));
        } catch (IOException e) {
            throw new ModelLoadException("generation_config.json cannot be read: " + e.getMessage(), e);
        }
        AudioInputs audio = AudioInputs.load(context);
        Tokenizer tokenizer = TextEncoders.tokenizer(context);
        boolean merged = context.files().has("decoder_model_merged.onnx")
                && !context.files().has("decoder_model.onnx");
        Backend first = null;
        Backend later = null;
        try {
            first = opener.open(merged ? "decoder_model_merged.onnx" : "decoder_model.onnx");
            later = merged ? first : opener.open("decoder_with_past_model.onnx");
            Seq2SeqLm lm = Seq2SeqLm.of(encoder, first, later);
            return new WhisperRecognition(
                    lm,
                    new Seq2SeqBatcher(context.modelName(), lm, limits, generationObserver).start(),
                    audio,
                    tokenizer,
                    generation,
                    maxNewTokens,
                    context.settings().defaultParameters(),
                    context.observer());
        } catch (ModelLoadException | RuntimeException e) {
            tokenizer.close();
            if (first != null) {
                first.close();
            }
            if (later != null && later != first) {
                later.close();
            }
            throw e;
        }
    }

    /** Whether a pipeline (or the recogniser behind its voice activity detector) decodes as Whisper does. */
    public static boolean decodes(Pipeline pipeline) {
        Pipeline recogniser = pipeline instanceof UtteranceCutting cut ? cut.recognizer() : pipeline;
        return recogniser instanceof WhisperRecognition;
    }

    /** How clips become samples and features at the model's rate. */
    public AudioInputs audio() {
        return audio;
    }

    @Override
    public TaskType taskType() {
        return TaskType.AUTOMATIC_SPEECH_RECOGNITION;
    }

    @Override
    public void admit() {
        batcher.admit();
    }

    @Override
    public Optional<BatchingMode> batching() {
        return Optional.of(model.batching());
    }

    /** What one request asks of the decoder: its prompt, length limit and beams. */
    private record Request(int[] prompt, int maxNewTokens, int numBeams) {}

    @Override
    public CompletableFuture<List<Object>> predict(List<TaskInput> inputs, JsonNode parameters, Duration timeout) {
        long start = System.nanoTime();
        Parameters p = Parameters.of(Pipeline.withDefaults(defaultParameters, parameters));
        OptionalInt timeoutMs = p.count(TIMEOUT_PARAMETER, OptionalInt.empty());
        Request request = read(p);
        p.rejectUnread(taskType().wireName());
        long deadline =
                Pipeline.deadline(start, timeoutMs.isPresent() ? Duration.ofMillis(timeoutMs.getAsInt()) : timeout);
        Seq2SeqSettings settings = settings(request);
        List<Tensor> features = new ArrayList<>(inputs.size());
        List<Double> seconds = new ArrayList<>(inputs.size());
        for (TaskInput input : inputs) {
            float[] samples = audio.samples(input);
            double length = samples.length / (double) audio.samplingRate();
            if (length > 30.0) {
                throw new InvalidInputException(
                        input.field(),
                        String.format(
                                java.util.Locale.ROOT,
                                "audio of %.1f s is longer than the model's 30 s window; long audio in chunks "
                                        + "(chunk_length_s) is not implemented for Whisper-style models here",
                                length));
            }
            features.add(audio.row(samples, input.field()).tensors().get(AudioInputs.INPUT_FEATURES));
            seconds.add(length);
        }
        observer.preprocessed(System.nanoTime() - start);
        List<CompletableFuture<Seq2SeqBatcher.Generation>> running = new ArrayList<>();
        try {
            for (Tensor clip : features) {
                running.add(batcher.submit(clip, settings, deadline));
            }
        } catch (RuntimeException e) {
            running.forEach(r -> r.cancel(false));
            throw e;
        }
        CompletableFuture<List<Object>> answer = CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    List<Object> out = new ArrayList<>(running.size());
                    for (int i = 0; i < running.size(); i++) {
                        int[] tokens = running.get(i).join().sequences().getFirst();
                        out.add(new SpeechRecognitionTask.Answer(text(tokens), null, seconds.get(i)));
                    }
                    if (observer.watchesAnswers()) {
                        out.forEach(result -> observer.answered(AnswerSummary.of(result)));
                    }
                    return out;
                });
        answer.whenComplete((results, error) -> {
            if (error != null) {
                running.forEach(r -> r.cancel(false));
            }
        });
        return answer;
    }

    private Request read(Parameters p) {
        if (p.has("return_timestamps")
                && p.raw("return_timestamps") != null
                && !(p.raw("return_timestamps").isBoolean()
                        && !p.raw("return_timestamps").asBoolean())) {
            throw new InvalidInputException(
                    "parameters.return_timestamps", "timestamps are not implemented for Whisper-style models here");
        }
        p.raw("return_timestamps"); // read: false asks for what is answered anyway
        if (p.has("chunk_length_s")) {
            throw new InvalidInputException(
                    "parameters.chunk_length_s",
                    "long audio in chunks is not implemented for Whisper-style models here (clips up to 30 s)");
        }
        String language = p.string("language", null);
        String task = p.string("task", null);
        if (task != null && !task.equals("transcribe") && !task.equals("translate")) {
            throw new InvalidInputException("parameters.task", "must be transcribe or translate, got " + task);
        }
        int[] prompt = generation.prompt(language, task);
        int room = Math.min(maxNewTokensLimit, generation.maxLength() - prompt.length);
        int maxNewTokens = p.integer("max_new_tokens", Math.max(1, room), 1, Math.max(1, room));
        int numBeams = p.integer("num_beams", Math.min(MAX_BEAMS, generation.numBeams()), 1, MAX_BEAMS);
        return new Request(prompt, maxNewTokens, numBeams);
    }

    private Seq2SeqSettings settings(Request request) {
        LogitsProcessors processors = new LogitsProcessors(
                1.0,
                0,
                new int[0][],
                0,
                0,
                -1,
                new int[0],
                -1,
                1.0,
                generation.suppressTokens(),
                generation.beginSuppressTokens());
        GenerationSettings decoding = new GenerationSettings(
                request.maxNewTokens(), false, 1.0, 0, 1.0, OptionalLong.empty(), generation.eos(), processors);
        return new Seq2SeqSettings(
                decoding,
                request.numBeams(),
                1.0,
                Seq2SeqSettings.EarlyStopping.FALSE,
                request.prompt(),
                1,
                generation.languageIds());
    }

    /** The text of the generated tokens: the text tokens decoded, control and timestamp tokens left out. */
    private String text(int[] tokens) {
        long[] text = Arrays.stream(tokens)
                .filter(t -> t < generation.timestampBegin())
                .asLongStream()
                .toArray();
        return tokenizer.decode(text, true);
    }

    @Override
    public Optional<Tokenizer> tokenizer() {
        return Optional.of(tokenizer);
    }

    @Override
    public void close(Duration grace) {
        batcher.close(grace);
        model.close();
        tokenizer.close();
    }
}
