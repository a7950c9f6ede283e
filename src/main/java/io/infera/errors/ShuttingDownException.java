package io.infera.errors;

/** The server is draining for shutdown and takes no new work. */
public final class ShuttingDownException extends InferaException {
    public ShuttingDownException(String detail) {
        super(detail);
    }
}
