package io.infera.errors;

/**
 * The failures a request can meet on its way through Infera. Each subtype maps to one HTTP status
 * in a single place (the API's error table, api.ErrorKind, from which both problem+json and OpenAI
 * error objects are rendered); messages are written for the client to read and never carry stack
 * traces or file-system paths.
 */
public abstract sealed class InferaException extends RuntimeException
        permits InvalidInputException,
                ModelNotFoundException,
                ModelNotReadyException,
                PayloadTooLargeException,
                UnsupportedMediaTypeException,
                BackendException,
                OverloadedException,
                DeadlineExceededException,
                ShuttingDownException,
                AccessDeniedException {

    protected InferaException(String message) {
        super(message);
    }

    protected InferaException(String message, Throwable cause) {
        super(message, cause);
    }
}
