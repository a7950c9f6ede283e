package io.infera.offline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.errors.DeadlineExceededException;
import io.infera.errors.InvalidInputException;
import io.infera.errors.OverloadedException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.errors.UnsupportedMediaTypeException;

/**
 * A record that failed (offline or on Spark), written in its place as
 * {@code {"error": {"status", "type", "field", "detail"}}}
 * with the status and type the HTTP route would answer.
 */
public final class FailedRecord {

    private FailedRecord() {}

    public static ObjectNode of(Throwable failure, ObjectMapper json) {
        int status;
        String type;
        String field = null;
        switch (failure) {
            case InvalidInputException e -> {
                status = 400;
                type = "invalid-input";
                field = e.field();
            }
            case PayloadTooLargeException e -> {
                status = 413;
                type = "payload-too-large";
                field = e.field();
            }
            case UnsupportedMediaTypeException e -> {
                status = 415;
                type = "unsupported-media-type";
            }
            case OverloadedException e -> {
                status = 429;
                type = "overloaded";
            }
            case DeadlineExceededException e -> {
                status = 504;
                type = "deadline-exceeded";
            }
            default -> {
                status = 500;
                type = "inference-failed";
            }
        }
        ObjectNode error = json.createObjectNode().put("status", status).put("type", type);
        if (field != null) {
            error.put("field", field);
        }
        error.put("detail", String.valueOf(failure.getMessage()));
        ObjectNode line = json.createObjectNode();
        line.set("error", error);
        return line;
    }

    /** A record that could not be read as a request at all. */
    static ObjectNode unreadable(String reason, ObjectMapper json) {
        return of(new InvalidInputException("record", reason), json);
    }
}
