package io.infera.tasks.voiceactivity;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.batching.Row;
import io.infera.errors.ModelLoadException;
import io.infera.processing.KnownKeys;
import io.infera.processing.audio.AudioDecoder;
import io.infera.processing.audio.SpeechSegments;
import io.infera.runtime.Backend;
import io.infera.runtime.Tensor;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.Task;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Voice activity detection with a Silero-style recurrent model: each clip, decoded and resampled
 * to the model's rate, runs chunk by chunk ({@link RecurrentChunks}); its speech probabilities
 * become segments as Silero's {@code get_speech_timestamps} finds them ({@link SpeechSegments}),
 * answered as {@code [{start, end}]} in seconds, in order.
 *
 * <p>Parameters, Silero's with shorter names: {@code threshold} (0.5), {@code neg_threshold}
 * (threshold - 0.15), {@code min_speech_ms} (250), {@code max_speech_s} (none), {@code
 * min_silence_ms} (100), {@code speech_pad_ms} (30).
 */
public final class VoiceActivityTask implements Task<SpeechSegments, VoiceActivityTask.Clip> {

    /** config.json: the model's rate, chunk, context and state sizes; the rest changes no answer. */
    static final KnownKeys KEYS = new KnownKeys(
            "config.json",
            Set.of("sampling_rate", "window_size_samples", "context_size_samples", "state_size"),
            Set.of("model_type", "architectures"));

    private final AudioDecoder decoder;
    private final int samplingRate;
    private final int window;
    private final int context;
    private final int stateSize;

    /** What postprocessing needs of a clip: its length in samples. */
    record Clip(int samples) {}

    /** One stretch of speech, in seconds from the start of the clip. */
    public record Segment(double start, double end) {}

    private VoiceActivityTask(AudioDecoder decoder, int samplingRate, int window, int context, int stateSize) {
        this.decoder = decoder;
        this.samplingRate = samplingRate;
        this.window = window;
        this.context = context;
        this.stateSize = stateSize;
    }

    public static VoiceActivityTask create(TaskContext context) throws ModelLoadException {
        for (String input : List.of(RecurrentChunks.INPUT, RecurrentChunks.STATE, RecurrentChunks.RATE)) {
            if (context.input(input).isEmpty()) {
                throw new ModelLoadException("voice-activity-detection needs a Silero-style model with inputs input, "
                        + "state and sr; the model has " + context.inputs());
            }
        }
        for (String output : List.of(RecurrentChunks.OUTPUT, RecurrentChunks.STATE_OUT)) {
            if (context.output(output).isEmpty()) {
                throw new ModelLoadException("voice-activity-detection needs a Silero-style model with outputs output "
                        + "and stateN; the model has " + context.outputs());
            }
        }
        JsonNode config = context.config().json();
        try {
            KEYS.check(config);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(e.getMessage());
        }
        int rate = config.path("sampling_rate").asInt(16000);
        // Silero's chunk and context: 512 and 64 samples at 16 kHz, 256 and 32 at 8 kHz
        int window = config.path("window_size_samples").asInt(rate == 8000 ? 256 : 512);
        int contextSamples = config.path("context_size_samples").asInt(rate == 8000 ? 32 : 64);
        int stateSize = config.path("state_size").asInt(128);
        if (rate <= 0 || window <= 0 || contextSamples < 0 || contextSamples > window || stateSize <= 0) {
            throw new ModelLoadException("config.json sampling_rate, window_size_samples, context_size_samples and "
                    + "state_size must be positive (the context at most a window)");
        }
        return new VoiceActivityTask(context.settings().audio(), rate, window, contextSamples, stateSize);
    }

    @Override
    public TaskType type() {
        return TaskType.VOICE_ACTIVITY_DETECTION;
    }

    /** The model runs whole clips chunk by chunk, its state carried: the batcher sees clips in, probabilities out. */
    @Override
    public Backend runner(Backend model) {
        return new RecurrentChunks(model, window, context, stateSize, samplingRate);
    }

    @Override
    public SpeechSegments parameters(Parameters p) {
        double threshold = p.decimal("threshold", 0.5, 0, 1);
        double negThreshold = p.has("neg_threshold") ? p.decimal("neg_threshold", 0, 0, threshold) : Double.NaN;
        double maxSpeech = p.has("max_speech_s") ? p.decimal("max_speech_s", 0, 0.1, 3600) : Double.POSITIVE_INFINITY;
        return SpeechSegments.of(
                samplingRate,
                threshold,
                negThreshold,
                p.decimal("min_speech_ms", 250, 0, 60_000),
                maxSpeech,
                p.decimal("min_silence_ms", 100, 0, 60_000),
                p.decimal("speech_pad_ms", 30, 0, 10_000));
    }

    @Override
    public Preprocessed<Clip> preprocess(TaskInput input, SpeechSegments parameters) {
        float[] samples =
                io.infera.tasks.AudioInputs.decode(decoder, input, samplingRate).samples();
        return Preprocessed.single(row(samples), new Clip(samples.length));
    }

    /** A clip's row: its samples, as long as its chunks (rows of a batch are padded with silence after their end). */
    private Row row(float[] samples) {
        float[] clip = samples.length == 0 ? new float[1] : samples;
        return new Row(Map.of(RecurrentChunks.INPUT, Tensor.of(clip, clip.length)), chunks(samples.length));
    }

    private int chunks(int samples) {
        return RecurrentChunks.chunks(samples, window);
    }

    @Override
    public Object postprocess(Clip clip, List<Map<String, Tensor>> outputs, SpeechSegments parameters) {
        float[] all = outputs.getFirst().get(RecurrentChunks.OUTPUT).toFloats();
        float[] own = java.util.Arrays.copyOf(all, Math.min(chunks(clip.samples()), all.length));
        return parameters.find(own, clip.samples(), window, samplingRate).stream()
                .map(s -> new Segment(s.start() / (double) samplingRate, s.end() / (double) samplingRate))
                .toList();
    }

    @Override
    public Optional<Row> warmupRow(int length) {
        return Optional.of(row(new float[samplingRate]));
    }
}
