package io.infera.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.errors.InvalidInputException;
import java.io.IOException;

/** Reads a request body that must be one JSON object; anything else is a 400 on {@code body}. */
public final class JsonBody {

    private JsonBody() {
    }

    /** @param shape how the expected object looks, for the error message */
    public static JsonNode readObject(ObjectMapper json, byte[] body, String shape) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new InvalidInputException("body", "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("body", "expected a JSON object " + shape);
        }
        return root;
    }
}
