package io.infera.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.InvalidInputException;

/** A text input item: a string, or a {@code {"text", "text_pair"}} object as the pipelines accept. */
public record TextItem(String text, String pair) {

    public static TextItem from(TaskInput input) {
        if (input instanceof TaskInput.Json json && json.value().isObject()) {
            JsonNode text = json.value().path("text");
            JsonNode pair = json.value().path("text_pair");
            if (!text.isTextual() || !(pair.isTextual() || pair.isMissingNode())) {
                throw new InvalidInputException(
                        input.field(), "a text pair is {\"text\": string, \"text_pair\": string}");
            }
            return new TextItem(text.asText(), pair.isTextual() ? pair.asText() : null);
        }
        return new TextItem(input.text(), null);
    }
}
