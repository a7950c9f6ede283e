package io.infera.errors;

/** The request's deadline passed before it could run; it was dropped, never run. */
public final class DeadlineExceededException extends InferaException {
    public DeadlineExceededException(String detail) {
        super(detail);
    }
}
