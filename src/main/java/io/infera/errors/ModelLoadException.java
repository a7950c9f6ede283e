package io.infera.errors;

/**
 * A model cannot be loaded. The message becomes the model's FAILED reason in {@code /v1/models},
 * so it says what is wrong and what to do, without paths outside the model folder.
 */
public class ModelLoadException extends Exception {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
