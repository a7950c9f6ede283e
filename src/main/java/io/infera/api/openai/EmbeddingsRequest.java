package io.infera.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.errors.PayloadTooLargeException;
import io.infera.tasks.TaskInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An OpenAI embeddings request, read and checked: {@code input} as a string, a list of strings, a
 * list of token ids or a list of token-id lists; {@code encoding_format} float or base64;
 * {@code dimensions}; {@code user} (ignored). Beside OpenAI's fields, as text-embeddings-inference
 * and sentence-transformers name them: {@code truncate} (false refuses an input over the model's
 * limit) and {@code prompt_name}. They become the feature-extraction parameters of the predict route.
 *
 * @param model      the model's name
 * @param inputs     one item per input, named {@code input} or {@code input[i]} in errors
 * @param base64     answer each vector as base64 of little-endian float32 rather than a list of numbers
 * @param parameters feature-extraction parameters
 */
record EmbeddingsRequest(String model, List<TaskInput> inputs, boolean base64, ObjectNode parameters) {

    private static final Set<String> FIELDS =
            Set.of("model", "input", "encoding_format", "dimensions", "user", "truncate", "prompt_name");

    static EmbeddingsRequest read(JsonNode body, int maxItems) {
        String model = RequestBodies.modelOf(body, FIELDS);
        return new EmbeddingsRequest(model, inputs(body.path("input"), maxItems), base64(body), parameters(body));
    }

    private static List<TaskInput> inputs(JsonNode input, int maxItems) {
        if (input.isTextual()) {
            return List.of(text(input, "input"));
        }
        if (!input.isArray() || input.isEmpty()) {
            throw new OpenAiException(OpenAiError.invalid(
                    "input", "input must be a string, a non-empty list of strings, or token ids (a list or lists)"));
        }
        if (input.get(0).isIntegralNumber()) {
            return List.of(ids(input, "input")); // one input given as token ids
        }
        if (input.size() > maxItems) {
            throw new PayloadTooLargeException("input", input.size() + " inputs, more than the limit of " + maxItems);
        }
        List<TaskInput> items = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String field = "input[" + i + "]";
            items.add(item.isArray() ? ids(item, field) : text(item, field));
        }
        return items;
    }

    private static TaskInput text(JsonNode text, String field) {
        if (!text.isTextual()) {
            throw new OpenAiException(OpenAiError.invalid(
                    field, field + " must be a string or a list of token ids, got " + text.getNodeType()));
        }
        if (text.asText().isEmpty()) {
            throw new OpenAiException(OpenAiError.invalid(field, field + " must not be an empty string"));
        }
        return new TaskInput.Json(text, field);
    }

    private static TaskInput ids(JsonNode ids, String field) {
        for (int i = 0; i < ids.size(); i++) {
            if (!ids.get(i).isIntegralNumber()) {
                throw new OpenAiException(OpenAiError.invalid(
                        field, field + " mixes token ids with " + ids.get(i).getNodeType() + " at " + i));
            }
        }
        return new TaskInput.Json(ids, field); // checked against the vocabulary by the model's task
    }

    private static boolean base64(JsonNode body) {
        JsonNode format = body.path("encoding_format");
        if (format.isMissingNode() || format.isNull() || "float".equals(format.asText(null))) {
            return false;
        }
        if ("base64".equals(format.asText(null))) {
            return true;
        }
        throw new OpenAiException(
                OpenAiError.invalid("encoding_format", "encoding_format must be float or base64, got " + format));
    }

    private static ObjectNode parameters(JsonNode body) {
        ObjectNode parameters = JsonNodeFactory.instance.objectNode();
        for (String name : new String[] {"dimensions", "truncate", "prompt_name"}) {
            if (body.has(name) && !body.get(name).isNull()) {
                parameters.set(name, body.get(name));
            }
        }
        JsonNode user = body.path("user");
        if (!user.isMissingNode() && !user.isNull() && !user.isTextual()) {
            throw new OpenAiException(OpenAiError.invalid("user", "user must be a string"));
        }
        return parameters;
    }
}
