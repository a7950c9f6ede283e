package io.infera.api.openai;

/**
 * A request the OpenAI routes refuse before it reaches a model, carrying its answer (always a 400
 * invalid_request_error: failures past the request's reading are InferaExceptions).
 */
final class OpenAiException extends RuntimeException implements io.infera.api.InvalidRequest {

    private final transient OpenAiError error;

    OpenAiException(OpenAiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    OpenAiError error() {
        return error;
    }
}
