package io.infera.errors;

/** The request is malformed; {@link #field()} names the part of the request that is wrong. */
public final class InvalidInputException extends InferaException {
    private final String field;

    public InvalidInputException(String field, String detail) {
        super(field + ": " + detail);
        this.field = field;
    }

    /** A JSON-pointer-like path to the offending field, for example {@code parameters.top_k}. */
    public String field() {
        return field;
    }
}
