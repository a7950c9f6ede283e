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
 * decoder_with_past_model.onnx), as the transformers 4.57 pipeline answers it: {@code {"text":
 * ...}}, with {@code "chunks"} of text and [start, end] seconds where timestamps are asked
 * ({@code return_timestamps}, or the model's generation_config). The prompt is {@link
 * WhisperGeneration}'s (language asked or detected, task, no-timestamps unless timestamps are
 * asked); decoding is beam search ({@code num_beams}: the model's, else the pipeline's 5; 1 is
 * greedy), the length limited by max_length (448, the prompt included), with generation_config.json's
 * suppress_tokens, begin_suppress_tokens and, with timestamps, Whisper's timestamp rules.
 *
 * <p>A clip is decoded window by window ({@link WhisperWindows}); a clip longer than the window
 * needs timestamps (long-form decoding, the windows following the timestamps) or {@code
 * chunk_length_s} (overlapping chunks, {@code stride_length_s}, joined by {@link
 * WhisperTranscript}). Every window of every clip is a submission to the model's generation loop
 * ({@link Seq2SeqBatcher}): the chunks of a clip and the clips waiting together share the encoder
 * run and every decoder step.
 *
 * <p>A text prompt ({@code prompt}) goes before the prompt as transformers' get_prompt_ids makes
 * it, on every window. Not implemented, refused with 400 naming the parameter: word timestamps,
 * temperature fallback.
 */
public final class WhisperRecognition implements Pipeline {

    private static final int MAX_BEAMS = 8;

    private final Seq2SeqLm model;
    private final Seq2SeqBatcher batcher;
    private final AudioInputs audio;
    private final Tokenizer tokenizer;
    private final WhisperGeneration generation;
    private final WhisperWindows windows;
    private final WhisperTranscript transcript;
    private final int maxNewTokensLimit;
    private final JsonNode defaultParameters;
    private final PipelineObserver observer;

    private WhisperRecognition(
            Seq2SeqLm model,
            Seq2SeqBatcher batcher,
            AudioInputs audio,
            Tokenizer tokenizer,
            WhisperGeneration generation,
            TaskContext context,
            int maxNewTokensLimit) {
        this.model = model;
        this.batcher = batcher;
        this.audio = audio;
        this.tokenizer = tokenizer;
        this.generation = generation;
        int encoderPositions =
                context.config().json().path("max_source_positions").asInt(1500);
        int windowFrames = audio.windowFrames();
        this.windows = new WhisperWindows(
                windowFrames, windowFrames / encoderPositions, generation.timestampBegin(), generation.eos());
        // the pipeline's time_precision: the window's seconds (chunk_length) over the encoder's positions
        double timePrecision = (double) (audio.windowSamples() / audio.samplingRate()) / encoderPositions;
        this.transcript = new WhisperTranscript(
                tokenizer,
                generation.eos()[0],
                generation.timestampBegin(),
                timePrecision,
                java.util.Set.copyOf(generation.languages().values()));
        this.maxNewTokensLimit = maxNewTokensLimit;
        this.defaultParameters = context.settings().defaultParameters();
        this.observer = context.observer();
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
                    context,
                    maxNewTokens);
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

    /**
     * What one request asks of the decoder.
     *
     * @param prompt       the decoder prompt ({@link WhisperGeneration#DETECT} where the model chooses the language)
     * @param maxNewTokens the most tokens generated per window
     * @param numBeams     1 for greedy decoding
     * @param timestamps   whether the model writes timestamps and the answer has timestamped chunks
     * @param chunks       the clip in overlapping chunks (chunk_length_s), null for the model's own windows
     */
    private record Request(int[] prompt, int maxNewTokens, int numBeams, boolean timestamps, AudioChunks chunks) {}

    /**
     * A stretch of a clip's features that decodes window by window.
     *
     * @param features [mels, frames or more]
     * @param frames   the frames to decode
     * @param stride   the chunk's [length, left stride, right stride] in seconds, null for a whole clip
     */
    private record Stretch(Tensor features, int frames, double[] stride) {}

    @Override
    public CompletableFuture<List<Object>> predict(List<TaskInput> inputs, JsonNode parameters, Duration timeout) {
        long start = System.nanoTime();
        Parameters p = Parameters.of(Pipeline.withDefaults(defaultParameters, parameters));
        OptionalInt timeoutMs = p.count(TIMEOUT_PARAMETER, OptionalInt.empty());
        Request request = read(p);
        p.rejectUnread(taskType().wireName());
        long deadline =
                Pipeline.deadline(start, timeoutMs.isPresent() ? Duration.ofMillis(timeoutMs.getAsInt()) : timeout);
        List<List<Stretch>> clips = new ArrayList<>(inputs.size());
        List<Double> seconds = new ArrayList<>(inputs.size());
        for (TaskInput input : inputs) {
            float[] samples = audio.samples(input);
            seconds.add(samples.length / (double) audio.samplingRate());
            clips.add(stretches(samples, request, input.field()));
        }
        observer.preprocessed(System.nanoTime() - start);
        List<List<CompletableFuture<int[]>>> running = new ArrayList<>();
        List<CompletableFuture<int[]>> all = new ArrayList<>();
        try {
            for (List<Stretch> clip : clips) {
                List<CompletableFuture<int[]>> pieces = new ArrayList<>();
                for (Stretch stretch : clip) {
                    CompletableFuture<int[]> piece = windows.decode(
                            stretch.features(),
                            stretch.frames(),
                            request.prompt(),
                            (window, prompt) -> batcher.submit(window, settings(request, prompt), deadline));
                    pieces.add(piece);
                    all.add(piece);
                }
                running.add(pieces);
            }
        } catch (RuntimeException e) {
            all.forEach(r -> r.cancel(false));
            throw e;
        }
        CompletableFuture<List<Object>> answer = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    List<Object> out = new ArrayList<>(running.size());
                    for (int c = 0; c < running.size(); c++) {
                        List<WhisperTranscript.Piece> pieces = new ArrayList<>();
                        for (int i = 0; i < running.get(c).size(); i++) {
                            pieces.add(new WhisperTranscript.Piece(
                                    running.get(c).get(i).join(),
                                    clips.get(c).get(i).stride()));
                        }
                        WhisperTranscript.Result result = transcript.decode(pieces, request.timestamps());
                        out.add(new SpeechRecognitionTask.Answer(result.text(), result.chunks(), seconds.get(c)));
                    }
                    if (observer.watchesAnswers()) {
                        out.forEach(result -> observer.answered(AnswerSummary.of(result)));
                    }
                    return out;
                });
        answer.whenComplete((results, error) -> {
            if (error != null) {
                all.forEach(r -> r.cancel(false));
            }
        });
        return answer;
    }

    /**
     * A clip's stretches as the pipeline feeds generate: the chunks asked for, each padded to the
     * window; else a clip up to the window padded to it; else (timestamps asked) the whole clip's
     * features, decoded window by window (long-form).
     */
    private List<Stretch> stretches(float[] samples, Request request, String field) {
        int rate = audio.samplingRate();
        if (request.chunks() != null) {
            List<Stretch> stretches = new ArrayList<>();
            for (AudioChunks.Span span : request.chunks().spans(samples.length)) {
                float[] chunk = Arrays.copyOfRange(samples, span.start(), span.end());
                stretches.add(new Stretch(features(chunk, field), windows.windowFrames(), new double[] {
                    span.length() / (double) rate, span.left() / (double) rate, span.right() / (double) rate
                }));
            }
            return stretches;
        }
        if (samples.length <= audio.windowSamples()) {
            return List.of(new Stretch(features(samples, field), windows.windowFrames(), null));
        }
        if (!request.timestamps()) {
            throw new InvalidInputException(
                    field,
                    String.format(
                            java.util.Locale.ROOT,
                            "audio of %.1f s is longer than the model's %d s window: ask for return_timestamps "
                                    + "(decoded window by window) or chunk_length_s (overlapping chunks)",
                            samples.length / (double) rate,
                            audio.windowSamples() / rate));
        }
        audio.row(samples, field); // the clip's length checked as for any row
        Tensor whole = audio.wholeFeatures(samples);
        return List.of(new Stretch(whole, (int) whole.shape()[1], null));
    }

    private Tensor features(float[] samples, String field) {
        return audio.row(samples, field).tensors().get(AudioInputs.INPUT_FEATURES);
    }

    private Request read(Parameters p) {
        boolean timestamps = generation.returnTimestamps();
        JsonNode asked = p.raw("return_timestamps");
        if (asked != null && !asked.isNull()) {
            if (!asked.isBoolean()) {
                throw new InvalidInputException(
                        "parameters.return_timestamps",
                        "must be true or false for a Whisper-style model (word timestamps are not implemented), got "
                                + asked);
            }
            timestamps = asked.asBoolean();
        }
        AudioChunks chunks = AudioChunks.read(p, audio.samplingRate(), 1, audio.windowSamples() / audio.samplingRate());
        String language = p.string("language", null);
        String task = p.string("task", null);
        if (task != null && !task.equals("transcribe") && !task.equals("translate")) {
            throw new InvalidInputException("parameters.task", "must be transcribe or translate, got " + task);
        }
        int[] prompt = generation.prompt(language, task, timestamps);
        String text = p.string("prompt", null);
        if (text != null) {
            int[] previous = generation.textPrompt(
                    previousTextToken(),
                    tokenizer.encodeWhole(" " + text.strip(), false).ids());
            int[] joined = Arrays.copyOf(previous, previous.length + prompt.length);
            System.arraycopy(prompt, 0, joined, previous.length, prompt.length);
            prompt = joined;
        }
        int room = Math.min(maxNewTokensLimit, generation.maxLength() - prompt.length);
        int maxNewTokens = p.integer("max_new_tokens", Math.max(1, room), 1, Math.max(1, room));
        int numBeams = p.integer("num_beams", Math.min(MAX_BEAMS, generation.numBeams()), 1, MAX_BEAMS);
        return new Request(prompt, maxNewTokens, numBeams, timestamps, chunks);
    }

    /** The token that starts a text prompt: generation_config's prev_sot_token_id, else the tokenizer's <|startofprev|>. */
    private int previousTextToken() {
        if (generation.previousText() >= 0) {
            return generation.previousText();
        }
        return (int) tokenizer
                .specialTokenId("<|startofprev|>")
                .orElseThrow(() -> new InvalidInputException(
                        "parameters.prompt", "this model has no <|startofprev|> token to start a text prompt"));
    }

    private Seq2SeqSettings settings(Request request, int[] prompt) {
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
                generation.beginSuppressTokens(),
                request.timestamps() ? generation.timestampRules() : null);
        GenerationSettings decoding = new GenerationSettings(
                request.maxNewTokens(), false, 1.0, 0, 1.0, OptionalLong.empty(), generation.eos(), processors);
        return new Seq2SeqSettings(
                decoding,
                request.numBeams(),
                1.0,
                Seq2SeqSettings.EarlyStopping.FALSE,
                prompt,
                1,
                generation.languageIds());
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
