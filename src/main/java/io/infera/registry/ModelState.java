package io.infera.registry;

/** Where a model is in its life, as Triton's model lifecycle names the states. */
public enum ModelState {
    /** Being read and warmed up; requests get 503 with Retry-After. */
    LOADING,
    /** Serving requests. */
    READY,
    /** Could not be loaded; the reason is in {@code /v1/models}. Requests get 409. */
    FAILED,
    /** Shutting down; requests get 503. */
    UNLOADING,
    /** A folder on disk that is not loaded (unloaded through the management routes). */
    UNAVAILABLE
}
