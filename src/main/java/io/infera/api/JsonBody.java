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
        int invalid = firstInvalidUtf8(body);
        if (invalid >= 0) {
            // Jackson checks the UTF-8 of string values but not always of field names
            throw new InvalidInputException("body", "not valid JSON: invalid UTF-8 at byte " + invalid);
        }
        try {
            return json.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new InvalidInputException("body", "over a JSON limit: " + describe(e));
        } catch (IOException e) {
            throw new InvalidInputException("body", "not valid JSON: " + describe(e));
        }
    }

    /** The offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, surrogates or code points past U+10FFFF), or -1. */
    static int firstInvalidUtf8(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
            if (length == 0 || i + length > bytes.length) {
                return i;
            }
            int second = bytes[i + 1] & 0xFF;
            int low = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
            int high = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
            if (second < low || second > high) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
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
