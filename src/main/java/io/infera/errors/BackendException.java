package io.infera.errors;

/** The runtime failed while running a model; the cause is logged, the client sees only the message. */
public final class BackendException extends InferaException {
    public BackendException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
