package io.infera.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.errors.InvalidInputException;
import java.io.IOException;
import java.util.regex.Pattern;

/** Reads a request body that must be one JSON object; anything else is a 400 on {@code body}. */
public final class JsonBody {

    /** Jackson names its own getter in limit messages ("from `StreamReadConstraints...`"): not for clients. */
    private static final Pattern SOURCE_OF_LIMIT = Pattern.compile(",? from `[^`]*`");

    private JsonBody() {}

    /** @param shape how the expected object looks, for the error message */
    public static JsonNode readObject(ObjectMapper json, byte[] body, String shape) {
        JsonNode root = read(json, body);
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("body", "expected a JSON object " + shape);
        }
        return root;
    }

    /** Any JSON value; a body that does not parse, or exceeds a parser limit, is a 400 on {@code body}. */
    public static JsonNode read(ObjectMapper json, byte[] body) {
        try {
            return json.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new InvalidInputException("body", "over a JSON limit: " + describe(e));
        } catch (IOException e) {
            throw new InvalidInputException("body", "not valid JSON: " + describe(e));
        }
    }

    /** The parser's own words, first line only, without its source location or class names. */
    static String describe(IOException e) {
        String message = e instanceof JacksonException jackson ? jackson.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return "unreadable";
        }
        return SOURCE_OF_LIMIT.matcher(message.lines().findFirst().orElse("")).replaceAll("");
    }
}
