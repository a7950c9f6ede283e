package io.infera.processing;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.InvalidInputException;
import java.util.Base64;

/** Image or audio bytes sent inside JSON: a base64 string or a {@code data:} URL. */
public final class BinaryPayload {

    private BinaryPayload() {}

    public static byte[] decode(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw new InvalidInputException(
                    field, "expected a base64 string or a data: URL, got " + value.getNodeType());
        }
        String text = value.asText().strip();
        if (text.startsWith("http://") || text.startsWith("https://") || text.startsWith("file:")) {
            throw new InvalidInputException(
                    field, "URLs are not fetched; send the bytes as base64, a data: URL or the raw body");
        }
        if (text.startsWith("data:")) {
            int comma = text.indexOf(',');
            if (comma < 0 || !text.substring(0, comma).endsWith(";base64")) {
                throw new InvalidInputException(field, "data: URL must be base64-encoded (data:<type>;base64,<data>)");
            }
            text = text.substring(comma + 1);
        }
        try {
            return Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "not valid base64: " + e.getMessage());
        }
    }
}
