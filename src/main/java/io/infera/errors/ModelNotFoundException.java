package io.infera.errors;

/** No model (or no such version of it) is served under the requested name. */
public final class ModelNotFoundException extends InferaException {
    public ModelNotFoundException(String detail) {
        super(detail);
    }
}
