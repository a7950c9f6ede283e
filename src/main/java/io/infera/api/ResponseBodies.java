package io.infera.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.errors.InvalidInputException;
import io.infera.tasks.featureextraction.Embedding;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes an answer as JSON, or, for embeddings when the client accepts only
 * {@code application/octet-stream}, as raw little-endian float32 rows with their shape in the
 * {@code Infera-Shape} header: JSON-encoding large float arrays is a known serving bottleneck.
 */
final class ResponseBodies {

    static final String SHAPE_HEADER = "Infera-Shape";

    private ResponseBodies() {}

    static Response encode(Object answer, String accept, ObjectMapper json) {
        if (accept != null
                && accept.contains(MediaType.APPLICATION_OCTET_STREAM)
                && !accept.contains("json")
                && !accept.contains("*/*")) {
            return float32(answer);
        }
        try {
            return Response.ok(json.writeValueAsBytes(answer), MediaType.APPLICATION_JSON_TYPE)
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer cannot be written as JSON", e);
        }
    }

    private static Response float32(Object result) {
        Object answer = vector(result);
        List<?> rows = answer instanceof float[] single
                ? List.of(single)
                : answer instanceof List<?> list
                        ? list.stream().map(ResponseBodies::vector).toList()
                        : List.of();
        if (rows.isEmpty() || !rows.stream().allMatch(r -> r instanceof float[])) {
            throw new InvalidInputException(
                    "Accept",
                    "application/octet-stream answers are for pooled embeddings only; ask for application/json");
        }
        int width = ((float[]) rows.getFirst()).length;
        ByteBuffer buffer =
                ByteBuffer.allocate(rows.size() * width * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Object row : rows) {
            buffer.asFloatBuffer().put((float[]) row);
            buffer.position(buffer.position() + width * Float.BYTES);
        }
        String shape = answer instanceof float[] ? Integer.toString(width) : rows.size() + "," + width;
        return Response.ok(buffer.array(), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(SHAPE_HEADER, shape)
                .build();
    }

    private static Object vector(Object result) {
        return result instanceof Embedding embedding ? embedding.vector() : result;
    }
}
