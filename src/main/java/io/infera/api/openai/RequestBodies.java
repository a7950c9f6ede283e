package io.infera.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/** The checks every compatibility route makes of its body before reading its own fields. */
final class RequestBodies {

    private RequestBodies() {}

    /**
     * The body as an object whose every field the route knows, naming a model.
     *
     * @return the model's name
     */
    static String modelOf(JsonNode body, Set<String> fields) {
        if (body == null || !body.isObject()) {
            throw new OpenAiException(OpenAiError.invalid(null, "the body must be a JSON object"));
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new OpenAiException(OpenAiError.invalid(name, "unrecognized request argument: " + name));
            }
        }
        if (!body.path("model").isTextual() || body.path("model").asText().isBlank()) {
            throw new OpenAiException(OpenAiError.invalid("model", "model must name a served model"));
        }
        return body.path("model").asText();
    }
}
