package io.infera.errors;

/** The model exists but cannot answer now: it is still loading, it failed to load, or it is unloading. */
public final class ModelNotReadyException extends InferaException {
    private final boolean permanent;

    public ModelNotReadyException(String detail, boolean permanent) {
        super(detail);
        this.permanent = permanent;
    }

    /** True when retrying will not help (the model failed to load), false while it is loading. */
    public boolean permanent() {
        return permanent;
    }
}
