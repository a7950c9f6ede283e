package io.infera.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.InvalidInputException;
import io.infera.errors.UnsupportedMediaTypeException;
import io.infera.processing.BinaryPayload;

/** One item of a request's {@code inputs}, as JSON or as a raw binary body. */
public sealed interface TaskInput {

    /** Where the item sits in the request, named in error messages (e.g. {@code inputs[2]}). */
    String field();

    /** The item's bytes for image and audio tasks: the raw body, or base64 / data URL in JSON. */
    byte[] bytes();

    /** The item as text, for text tasks. */
    String text();

    record Json(JsonNode value, String field) implements TaskInput {
        @Override
        public byte[] bytes() {
            return BinaryPayload.decode(value, field);
        }

        @Override
        public String text() {
            if (!value.isTextual()) {
                throw new InvalidInputException(field, "expected a string, got " + value.getNodeType());
            }
            return value.asText();
        }
    }

    /**
     * Audio already decoded (an utterance cut from a clip the request sent): audio tasks read its
     * samples, resampled to their model's rate where it differs.
     */
    record Decoded(io.infera.processing.audio.Audio audio, String field) implements TaskInput {
        @Override
        public byte[] bytes() {
            throw new UnsupportedMediaTypeException("decoded audio is an input of audio tasks only");
        }

        @Override
        public String text() {
            throw new UnsupportedMediaTypeException("this task takes JSON text inputs, not decoded audio");
        }
    }

    record Binary(byte[] bytes, String mediaType, String field) implements TaskInput {
        @Override
        public String text() {
            throw new UnsupportedMediaTypeException("this task takes JSON text inputs, not a " + mediaType + " body");
        }
    }
}
