package io.infera.api;

import io.infera.errors.BackendException;
import io.infera.errors.DeadlineExceededException;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelNotFoundException;
import io.infera.errors.ModelNotReadyException;
import io.infera.errors.OverloadedException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.errors.ShuttingDownException;
import io.infera.errors.UnsupportedMediaTypeException;

/** The {@code outcome} tag of {@code infera_requests_total}: how a request ended, in a closed set. */
enum Outcome {
    SUCCESS,
    INVALID,
    DENIED,
    NOT_FOUND,
    NOT_READY,
    TOO_LARGE,
    UNSUPPORTED,
    OVERLOADED,
    TIMEOUT,
    SHUTTING_DOWN,
    /** The client went away and its work was stopped. */
    CANCELLED,
    ERROR;

    static Outcome of(Throwable error) {
        return switch (error) {
            case InvalidInputException e -> INVALID;
            case InvalidRequest e -> INVALID;
            case io.infera.errors.AccessDeniedException e -> DENIED;
            case ModelNotFoundException e -> NOT_FOUND;
            case ModelNotReadyException e -> NOT_READY;
            case PayloadTooLargeException e -> TOO_LARGE;
            case UnsupportedMediaTypeException e -> UNSUPPORTED;
            case OverloadedException e -> OVERLOADED;
            case DeadlineExceededException e -> TIMEOUT;
            case ShuttingDownException e -> SHUTTING_DOWN;
            case java.util.concurrent.CancellationException e -> CANCELLED;
            case BackendException e -> ERROR;
            default -> ERROR;
        };
    }

    String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
