package io.infera.registry;

import io.infera.batching.BatchingPolicy;
import io.infera.generation.GenerationLimits;
import io.infera.processing.audio.AudioDecoder;
import io.infera.runtime.Device;
import io.infera.runtime.OnnxSessionSettings;
import io.infera.runtime.TorchSettings;

/**
 * Server-wide settings a model gets unless its serving.yaml says otherwise.
 *
 * @param device         where models run
 * @param onnx           ONNX Runtime session options; 0 intra-op threads: the cores shared among the sessions
 * @param torch          libtorch settings for TorchScript models (process-wide)
 * @param batching       how batches are formed
 * @param instances      backend sessions per model; 0: one ({@link ExecutionLayout})
 * @param warmup         whether models run their bucket shapes once before they report ready
 * @param maxImagePixels the largest image accepted, checked before decoding
 * @param maxTextChars   the longest text (in characters) a text task accepts, checked before tokenizing
 * @param audio          how audio tasks decode audio bytes, and the longest audio they accept
 * @param generation     what a text-generation model's loop may take on
 * @param maxNewTokens   the most tokens one generation request may ask for
 */
public record ModelDefaults(Device device, OnnxSessionSettings onnx, TorchSettings torch, BatchingPolicy batching, int instances,
                            boolean warmup, long maxImagePixels, int maxTextChars, AudioDecoder audio,
                            GenerationLimits generation, int maxNewTokens) {
}
