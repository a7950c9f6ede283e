package io.infera.errors;

/** A configured limit (body size, pixels, tokens, items ...) was exceeded; the detail names it. */
public final class PayloadTooLargeException extends InferaException {
    private final String field;

    public PayloadTooLargeException(String field, String detail) {
        super(field + ": " + detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
