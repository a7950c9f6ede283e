package io.infera.registry;

import io.infera.runtime.Device;
import io.infera.runtime.OnnxSessionSettings;

/**
 * Server-wide settings a model gets unless its serving.yaml says otherwise.
 *
 * @param device         where models run
 * @param onnx           ONNX Runtime session options
 * @param maxBatchSize   the most rows one backend call takes
 * @param maxImagePixels the largest image accepted, checked before decoding
 */
public record ModelDefaults(Device device, OnnxSessionSettings onnx, int maxBatchSize, long maxImagePixels) {
}
