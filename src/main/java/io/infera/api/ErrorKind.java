package io.infera.api;

import io.infera.errors.AccessDeniedException;
import io.infera.errors.BackendException;
import io.infera.errors.DeadlineExceededException;
import io.infera.errors.InferaException;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelNotFoundException;
import io.infera.errors.ModelNotReadyException;
import io.infera.errors.OverloadedException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.errors.ShuttingDownException;
import io.infera.errors.UnsupportedMediaTypeException;

/**
 * The one table from a kind of failure to its answer: the HTTP status, the problem type and title
 * of problem+json routes, the error type and code of OpenAI routes, and the request field an
 * OpenAI error names when the kind always concerns one. Every route family renders failures from
 * here ({@link ProblemMapper}, the route filters, {@code openai.OpenAiError}).
 */
public enum ErrorKind {
    INVALID_INPUT(400, "invalid-input", "Invalid input", "invalid_request_error", null, null),
    UNAUTHORIZED(401, "unauthorized", "Unauthorized", "invalid_request_error", "invalid_api_key", null),
    FORBIDDEN(403, "forbidden", "Forbidden", "invalid_request_error", "forbidden", null),
    MODEL_NOT_FOUND(404, "model-not-found", "Model not found", "invalid_request_error", "model_not_found", "model"),
    MODEL_FAILED(409, "model-failed", "Model failed to load", "invalid_request_error", "model_failed", "model"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large", "invalid_request_error", null, null),
    UNSUPPORTED_MEDIA_TYPE(
            415, "unsupported-media-type", "Unsupported media type", "invalid_request_error", null, null),
    OVERLOADED(429, "overloaded", "Too many requests", "rate_limit_error", "overloaded", null),
    INFERENCE_FAILED(500, "inference-failed", "Inference failed", "server_error", null, null),
    INTERNAL(500, "internal-error", "Internal server error", "server_error", null, null),
    MODEL_NOT_READY(503, "model-not-ready", "Model not ready", "server_error", "model_not_ready", "model"),
    SHUTTING_DOWN(503, "shutting-down", "Shutting down", "server_error", "shutting_down", null),
    DEADLINE_EXCEEDED(504, "deadline-exceeded", "Deadline exceeded", "timeout_error", "deadline_exceeded", null);

    /** Seconds a client should wait before retrying a model that is still loading. */
    private static final int LOADING_RETRY_AFTER = 1;

    private final int status;
    private final String slug;
    private final String title;
    private final String openAiType;
    private final String openAiCode;
    private final String openAiParam;

    ErrorKind(int status, String slug, String title, String openAiType, String openAiCode, String openAiParam) {
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.openAiType = openAiType;
        this.openAiCode = openAiCode;
        this.openAiParam = openAiParam;
    }

    public static ErrorKind of(InferaException failure) {
        return switch (failure) {
            case InvalidInputException e -> INVALID_INPUT;
            case AccessDeniedException e -> e.authenticated() ? FORBIDDEN : UNAUTHORIZED;
            case ModelNotFoundException e -> MODEL_NOT_FOUND;
            case ModelNotReadyException e -> e.permanent() ? MODEL_FAILED : MODEL_NOT_READY;
            case PayloadTooLargeException e -> PAYLOAD_TOO_LARGE;
            case UnsupportedMediaTypeException e -> UNSUPPORTED_MEDIA_TYPE;
            case OverloadedException e -> OVERLOADED;
            case DeadlineExceededException e -> DEADLINE_EXCEEDED;
            case ShuttingDownException e -> SHUTTING_DOWN;
            case BackendException e -> INFERENCE_FAILED;
        };
    }

    /** The request field at fault, where the failure names one. */
    public static String field(InferaException failure) {
        return switch (failure) {
            case InvalidInputException e -> e.field();
            case PayloadTooLargeException e -> e.field();
            default -> null;
        };
    }

    /** Seconds to wait before sending the request again (Retry-After), or null where retrying later does not help. */
    public static Integer retryAfterSeconds(InferaException failure) {
        return switch (of(failure)) {
            case OVERLOADED -> ((OverloadedException) failure).retryAfterSeconds();
            case MODEL_NOT_READY -> LOADING_RETRY_AFTER;
            default -> null;
        };
    }

    /** A header the answer carries besides Retry-After, as {name, value}, or null. */
    public String[] header() {
        return switch (this) {
            case UNAUTHORIZED -> new String[] {"WWW-Authenticate", "Bearer realm=\"infera\""};
            // the client should take its next request to another instance
            case SHUTTING_DOWN -> new String[] {"Connection", "close"};
            default -> null;
        };
    }

    public Problem problem(String detail) {
        return Problem.of(status, slug, title, detail);
    }

    public int status() {
        return status;
    }

    public String openAiType() {
        return openAiType;
    }

    public String openAiCode() {
        return openAiCode;
    }

    /** The request field an OpenAI error of this kind names whatever the failure says ("model"), or null. */
    public String openAiParam() {
        return openAiParam;
    }
}
