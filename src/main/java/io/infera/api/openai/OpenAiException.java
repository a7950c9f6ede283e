package io.infera.api.openai;

/** A request the OpenAI routes refuse before it reaches a model, carrying its answer. */
final class OpenAiException extends RuntimeException {

    private final transient OpenAiError error;

    OpenAiException(OpenAiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    OpenAiError error() {
        return error;
    }
}
