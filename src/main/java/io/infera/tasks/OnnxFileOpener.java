package io.infera.tasks;

import io.infera.errors.ModelLoadException;
import io.infera.runtime.Backend;

/**
 * Opens another ONNX file of the model's folder (a seq2seq model's decoders, an OCR folder's
 * recogniser) with the model's device and session settings.
 */
@FunctionalInterface
public interface OnnxFileOpener {
    Backend open(String file) throws ModelLoadException;
}
