package io.infera.errors;

/** The request body's media type (or an embedded image/audio format) is not one the model takes. */
public final class UnsupportedMediaTypeException extends InferaException {
    public UnsupportedMediaTypeException(String detail) {
        super(detail);
    }
}
