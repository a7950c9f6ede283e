package io.infera.errors;

import java.util.concurrent.CompletionException;

/** What failed, out of the wrapper a completion stage puts around a failure. */
public final class Failures {

    private Failures() {}

    /** The cause a {@link CompletionException} carries, else {@code error} itself (null stays null). */
    public static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
