package io.infera.errors;

/** The runtime failed while running a model; the cause is logged, the client sees only the message. */
public final class BackendException extends InferaException {
    /** A failure found by the backend itself, such as a module returning what its declaration does not say. */
    public BackendException(String detail) {
        super(detail, null);
    }

    public BackendException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
