package io.infera.errors;

/** The model's queue is full; the client should retry after {@link #retryAfterSeconds()}. */
public final class OverloadedException extends InferaException {
    private final int retryAfterSeconds;

    public OverloadedException(String detail, int retryAfterSeconds) {
        super(detail);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
