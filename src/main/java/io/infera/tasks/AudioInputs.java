package io.infera.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.batching.Row;
import io.infera.errors.ModelLoadException;
import io.infera.processing.KnownKeys;
import io.infera.processing.audio.AudioDecoder;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Audio bytes to a model's row, shared by the audio tasks: for raw-waveform models
 * {@code input_values} as Wav2Vec2FeatureExtractor makes it (zero mean and unit variance per clip
 * when do_normalize), unpadded (clips share a batch only with clips of the same length, because
 * padding would change what these models compute); for Whisper-style models {@code
 * input_features}, the log-mel spectrogram of the clip padded to its fixed length.
 */
public final class AudioInputs {

    public static final String INPUT_VALUES = "input_values";
    public static final String INPUT_FEATURES = "input_features";

    private final AudioDecoder decoder;
    private final int samplingRate;
    private final boolean normalize;
    private final boolean attentionMask;
    private final int minimumSamples;
    private final io.infera.processing.audio.LogMelSpectrogram logMel;

    /** Told of each decoded clip's length (input monitoring). */
    private final PipelineObserver observer;

    private AudioInputs(
            AudioDecoder decoder,
            int samplingRate,
            boolean normalize,
            boolean attentionMask,
            int minimumSamples,
            io.infera.processing.audio.LogMelSpectrogram logMel,
            PipelineObserver observer) {
        this.observer = observer;
        this.decoder = decoder;
        this.samplingRate = samplingRate;
        this.normalize = normalize;
        this.attentionMask = attentionMask;
        this.minimumSamples = minimumSamples;
        this.logMel = logMel;
    }

    /**
     * The shortest clip that gives the model one frame: its convolutional feature encoder's window
     * (config.json conv_kernel and conv_stride; 400 samples for wav2vec2-base), 1 when unknown.
     */
    static int minimumSamples(JsonNode config) {
        JsonNode kernels = config.path("conv_kernel");
        JsonNode strides = config.path("conv_stride");
        if (!kernels.isArray() || kernels.size() != strides.size()) {
            return 1;
        }
        int length = 1;
        for (int layer = kernels.size() - 1; layer >= 0; layer--) {
            length = (length - 1) * strides.get(layer).asInt(1)
                    + kernels.get(layer).asInt(1);
        }
        return length;
    }

    /**
     * The keys of an audio feature extractor's preprocessor_config.json: those read here, those
     * that follow from them (Whisper's chunk_length and nb_max_frames from n_samples and
     * hop_length) and the settings of padding and attention masks, which change no answer where
     * each clip runs alone, unpadded (a log-mel model's clip is padded with silence to n_samples,
     * with padding_value 0 on the right, which is checked).
     */
    public static final KnownKeys KEYS = new KnownKeys(
            "preprocessor_config.json",
            Set.of(
                    "feature_extractor_type",
                    "sampling_rate",
                    "do_normalize",
                    "feature_size",
                    "n_fft",
                    "hop_length",
                    "n_samples",
                    "padding_value",
                    "padding_side",
                    "dither"),
            Set.of("processor_class", "return_attention_mask", "chunk_length", "nb_max_frames"));

    public static AudioInputs load(TaskContext context) throws ModelLoadException {
        TensorSpec input = context.input(INPUT_VALUES)
                .or(() -> context.input(INPUT_FEATURES))
                .orElse(null);
        if (input == null || (input.name().equals(INPUT_VALUES) ? input.rank() != 2 : input.rank() != 3)) {
            throw new ModelLoadException(
                    "an audio model needs input_values [batch, samples] or input_features [batch, mels, frames]; "
                            + "the model has " + context.inputs());
        }
        Path file = context.files().resolve("preprocessor_config.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(
                    "an audio model needs a preprocessor_config.json (sampling_rate, do_normalize) in its folder");
        }
        try {
            JsonNode json = context.json().readTree(file.toFile());
            checkKeys(json);
            int rate = json.path("sampling_rate").asInt(16000);
            AudioDecoder decoder = context.settings().audio();
            if (input.name().equals(INPUT_FEATURES)) {
                if (!json.path("feature_extractor_type").asText("").equals("WhisperFeatureExtractor")) {
                    throw new ModelLoadException(
                            "input_features models are supported with a WhisperFeatureExtractor (log-mel); "
                                    + "preprocessor_config.json says "
                                    + json.path("feature_extractor_type").asText("nothing"));
                }
                var logMel = new io.infera.processing.audio.LogMelSpectrogram(
                        json.path("n_fft").asInt(400),
                        json.path("hop_length").asInt(160),
                        json.path("feature_size").asInt(80),
                        json.path("n_samples").asInt(480000),
                        rate);
                return new AudioInputs(decoder, rate, false, false, 1, logMel, context.observer());
            }
            if (json.has("feature_size") && json.path("feature_size").asInt() != 1) {
                throw new ModelLoadException("preprocessor_config.json feature_size "
                        + json.path("feature_size").asInt()
                        + " for an input_values model: expected raw waveforms (Wav2Vec2FeatureExtractor)");
            }
            return new AudioInputs(
                    decoder,
                    rate,
                    json.path("do_normalize").asBoolean(true),
                    context.input("attention_mask").isPresent(),
                    minimumSamples(context.config().json()),
                    null,
                    context.observer());
        } catch (IOException e) {
            throw new ModelLoadException("preprocessor_config.json: " + e.getMessage(), e);
        }
    }

    /** Refuses keys and values the extraction here does not implement, naming them. */
    private static void checkKeys(JsonNode json) throws ModelLoadException {
        try {
            KEYS.check(json);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(e.getMessage());
        }
        if (json.path("padding_value").asDouble(0) != 0) {
            throw new ModelLoadException("preprocessor_config.json padding_value " + json.path("padding_value")
                    + " is not implemented: clips are padded with silence (0.0)");
        }
        if (!json.path("padding_side").asText("right").equals("right")) {
            throw new ModelLoadException("preprocessor_config.json padding_side " + json.path("padding_side")
                    + " is not implemented: clips are padded on the right");
        }
        if (json.path("dither").asDouble(0) != 0) {
            throw new ModelLoadException(
                    "preprocessor_config.json dither " + json.path("dither")
                            + " is not implemented: it adds random noise, so that the same clip would answer differently each time");
        }
    }

    /** The clip as the model's row. */
    public Row row(TaskInput input) {
        return row(samples(input), input.field());
    }

    /** The clip's samples at the model's rate, mono (resampled when it comes at another rate). */
    public float[] samples(TaskInput input) {
        float[] samples = decode(decoder, input, samplingRate).samples();
        observer.audio(samples.length / (double) samplingRate);
        return samples;
    }

    /** An audio item at this rate: its bytes decoded, or its decoded samples resampled where they come at another rate. */
    public static io.infera.processing.audio.Audio decode(AudioDecoder decoder, TaskInput input, int rate) {
        if (input instanceof TaskInput.Decoded decoded) {
            return AudioDecoder.resampled(decoded.audio(), rate, input.field());
        }
        return decoder.decode(input.bytes(), input.field(), rate);
    }

    /** The model's sampling rate. */
    public int samplingRate() {
        return samplingRate;
    }

    /** The decoder of audio bytes the server has (WAV in Java, others through ffmpeg where it has one). */
    public AudioDecoder decoder() {
        return decoder;
    }

    /** A row of these samples (a whole clip or a chunk of one), normalised as the feature extractor does. */
    public Row row(float[] samples, String field) {
        if (samples.length < minimumSamples) {
            throw new io.infera.errors.InvalidInputException(
                    field,
                    String.format(
                            java.util.Locale.ROOT,
                            "audio of %d samples (%.1f ms) is shorter than the model's window of %d samples",
                            samples.length,
                            samples.length * 1000.0 / samplingRate,
                            minimumSamples));
        }
        return row(samples);
    }

    /**
     * A log-mel model's features over a whole clip, neither padded nor cut to its window (the
     * input of Whisper's long-form decoding, which slides its window over them): [mels, frames].
     */
    public Tensor wholeFeatures(float[] samples) {
        if (logMel == null) {
            throw new IllegalStateException("the model takes samples, not log-mel features");
        }
        var whole = new io.infera.processing.audio.LogMelSpectrogram(
                logMel.nFft(), logMel.hop(), logMel.mels(), samples.length, logMel.rate());
        float[] features = whole.compute(samples);
        return Tensor.of(features, logMel.mels(), features.length / logMel.mels());
    }

    /** A log-mel model's window in samples (n_samples: 30 s for Whisper), 0 for a model of samples. */
    public int windowSamples() {
        return logMel == null ? 0 : logMel.samples();
    }

    /** A log-mel model's window in feature frames (3000 for Whisper), 0 for a model of samples. */
    public int windowFrames() {
        return logMel == null ? 0 : logMel.samples() / logMel.hop();
    }

    private Row row(float[] samples) {
        if (logMel != null) {
            float[] features = logMel.compute(samples);
            int frames = features.length / logMel.mels();
            return Row.unpadded(Map.of(INPUT_FEATURES, Tensor.of(features, logMel.mels(), frames)));
        }
        float[] values = normalize ? normalized(samples) : samples.clone();
        Map<String, Tensor> row = new HashMap<>();
        row.put(INPUT_VALUES, Tensor.of(values, values.length));
        if (attentionMask) {
            long[] ones = new long[values.length];
            java.util.Arrays.fill(ones, 1);
            row.put("attention_mask", Tensor.of(ones, ones.length));
        }
        return Row.unpadded(row, Math.max(1, values.length));
    }

    /** (x - mean) / sqrt(var + 1e-7), as Wav2Vec2FeatureExtractor's zero_mean_unit_var_norm. */
    static float[] normalized(float[] x) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double variance = 0;
        for (float v : x) {
            variance += (v - mean) * (v - mean);
        }
        variance /= x.length;
        double scale = Math.sqrt(variance + 1e-7);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) ((x[i] - mean) / scale);
        }
        return out;
    }

    /** A second of silence, for warm-up. */
    public Row warmupRow() {
        return row(new float[samplingRate]);
    }
}
