package io.infera.registry;

import static io.infera.registry.StandardDefaults.*;

import io.infera.batching.BatchingPolicy;
import io.infera.generation.GenerationLimits;
import io.infera.processing.audio.AudioDecoder;
import io.infera.processing.audio.FfmpegDecoder;
import io.infera.runtime.Device;
import io.infera.runtime.OnnxSessionSettings;
import io.infera.runtime.TorchSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Server-wide settings a model gets unless its serving.yaml says otherwise: the server builds them
 * from its configuration, other processes start from {@link #standard()}.
 *
 * @param device         where models run
 * @param onnx           ONNX Runtime session options; 0 intra-op threads: the cores shared among the sessions
 * @param torch          libtorch settings for TorchScript models (process-wide)
 * @param batching       how batches are formed
 * @param instances      backend sessions per model; 0: one ({@link ExecutionLayout})
 * @param warmup         whether models run their bucket shapes once before they report ready
 * @param maxImagePixels the largest image accepted, checked before decoding
 * @param maxTextChars   the longest text (in characters) a text task accepts, checked before tokenizing
 * @param maxItems       the most items of one request, and of one item's texts (a rerank's documents)
 * @param audio          how audio tasks decode audio bytes, and the longest audio they accept
 * @param generation     what a text-generation model's loop may take on
 * @param maxNewTokens   the most tokens one generation request may ask for
 */
public record ModelDefaults(
        Device device,
        OnnxSessionSettings onnx,
        TorchSettings torch,
        BatchingPolicy batching,
        int instances,
        boolean warmup,
        long maxImagePixels,
        int maxTextChars,
        int maxItems,
        AudioDecoder audio,
        GenerationLimits generation,
        int maxNewTokens) {

    /** The {@link StandardDefaults}, with ffmpeg for audio when it is on the PATH. */
    public static ModelDefaults standard() {
        BatchingPolicy batching = new BatchingPolicy(
                Integer.parseInt(MAX_BATCH_SIZE),
                Long.parseLong(MAX_QUEUE_DELAY_US) * 1000,
                Integer.parseInt(MAX_QUEUE_SIZE),
                new int[0],
                Long.parseLong(MAX_BATCH_TOKENS),
                Arrays.stream(BUCKETS.split(",")).mapToInt(Integer::parseInt).toArray(),
                Integer.parseInt(REORDER_WINDOW));
        OnnxSessionSettings onnx = new OnnxSessionSettings(
                Integer.parseInt(ONNX_INTRA_OP_THREADS),
                Integer.parseInt(ONNX_INTER_OP_THREADS),
                Boolean.parseBoolean(ONNX_SPINNING),
                OnnxSessionSettings.OptimizationLevel.parse(ONNX_OPTIMIZATION_LEVEL));
        TorchSettings torch = new TorchSettings(
                Integer.parseInt(TORCH_INTRA_OP_THREADS),
                Integer.parseInt(TORCH_INTER_OP_THREADS),
                Boolean.parseBoolean(TORCH_GRAPH_OPTIMIZER),
                Optional.empty());
        AudioDecoder audio = new AudioDecoder(
                Double.parseDouble(MAX_AUDIO_SECONDS),
                FfmpegDecoder.onPath().map(path -> new FfmpegDecoder(path, Duration.parse(FFMPEG_TIMEOUT))));
        GenerationLimits generation = new GenerationLimits(
                Integer.parseInt(GENERATION_MAX_SEQUENCES),
                Integer.parseInt(GENERATION_MAX_QUEUED),
                Integer.parseInt(GENERATION_MAX_STEP_TOKENS));
        return new ModelDefaults(
                Device.parse(DEVICE),
                onnx,
                torch,
                batching,
                Integer.parseInt(INSTANCES),
                Boolean.parseBoolean(WARMUP),
                Long.parseLong(MAX_IMAGE_PIXELS),
                Integer.parseInt(MAX_TEXT_CHARS),
                Integer.parseInt(MAX_ITEMS),
                audio,
                generation,
                Integer.parseInt(MAX_NEW_TOKENS));
    }

    public ModelDefaults withBatching(BatchingPolicy policy) {
        return new ModelDefaults(
                device,
                onnx,
                torch,
                policy,
                instances,
                warmup,
                maxImagePixels,
                maxTextChars,
                maxItems,
                audio,
                generation,
                maxNewTokens);
    }

    public ModelDefaults withWarmup(boolean on) {
        return new ModelDefaults(
                device,
                onnx,
                torch,
                batching,
                instances,
                on,
                maxImagePixels,
                maxTextChars,
                maxItems,
                audio,
                generation,
                maxNewTokens);
    }

    /** Sessions per model and their settings. */
    public ModelDefaults withSessions(int count, OnnxSessionSettings settings) {
        return new ModelDefaults(
                device,
                settings,
                torch,
                batching,
                count,
                warmup,
                maxImagePixels,
                maxTextChars,
                maxItems,
                audio,
                generation,
                maxNewTokens);
    }

    public ModelDefaults withGeneration(GenerationLimits limits, int newTokens) {
        return new ModelDefaults(
                device,
                onnx,
                torch,
                batching,
                instances,
                warmup,
                maxImagePixels,
                maxTextChars,
                maxItems,
                audio,
                limits,
                newTokens);
    }
}
