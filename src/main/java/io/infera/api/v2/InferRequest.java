package io.infera.api.v2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.api.JsonBody;
import io.infera.errors.InvalidInputException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An inference request body: the JSON header and, with the binary data extension, the raw tensor
 * bytes after it ({@code Inference-Header-Content-Length} says where the JSON ends).
 */
record InferRequest(JsonNode json, ByteBuffer binary) {

    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    static InferRequest parse(byte[] body, String headerLength, ObjectMapper mapper) {
        int jsonLength = body.length;
        if (headerLength != null) {
            try {
                jsonLength = Integer.parseInt(headerLength.trim());
            } catch (NumberFormatException e) {
                jsonLength = -1;
            }
            if (jsonLength < 0 || jsonLength > body.length) {
                throw new InvalidInputException(
                        HEADER_LENGTH,
                        "must be the JSON header's length, 0.." + body.length + ", got '" + headerLength + "'");
            }
        }
        JsonNode json = JsonBody.readObject(mapper, Arrays.copyOf(body, jsonLength), "{\"inputs\": [...]}");
        return new InferRequest(
                json,
                ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice());
    }

    /** Whether every output is wanted as binary data (request-level {@code binary_data_output}). */
    boolean allOutputsBinary() {
        return json.path("parameters").path("binary_data_output").asBoolean(false);
    }
}
