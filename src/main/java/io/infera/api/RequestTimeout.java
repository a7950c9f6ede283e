package io.infera.api;

import io.infera.errors.InvalidInputException;
import java.time.Duration;

/** A request's time budget: the {@code X-Timeout-Ms} header, else the server default (0 = none). */
public final class RequestTimeout {

    public static final String HEADER = "X-Timeout-Ms";

    private RequestTimeout() {}

    public static Duration of(String header, long defaultMs) {
        if (header == null) {
            return Duration.ofMillis(defaultMs);
        }
        try {
            long ms = Long.parseLong(header.trim());
            if (ms < 1) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(ms);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(HEADER, "must be a positive number of milliseconds, got '" + header + "'");
        }
    }
}
