package io.infera.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.errors.InvalidInputException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.tasks.TaskInput;
import java.util.ArrayList;
import java.util.List;

/**
 * A task request, {@code {"inputs": X, "parameters": {...}}}: X is one item or a list of items.
 *
 * @param items      the input items, in order
 * @param parameters the parameters object, or null
 * @param batch      whether inputs was a list, so the answer is a list too
 */
record PredictRequest(List<TaskInput> items, JsonNode parameters, boolean batch) {

    static PredictRequest fromJson(byte[] body, ObjectMapper json, int maxItems) {
        JsonNode root = JsonBody.readObject(json, body, "{\"inputs\": ..., \"parameters\": {...}}");
        JsonNode inputs = root.get("inputs");
        if (inputs == null || inputs.isNull()) {
            throw new InvalidInputException("inputs", "is required");
        }
        root.fieldNames().forEachRemaining(name -> {
            if (!name.equals("inputs") && !name.equals("parameters")) {
                throw new InvalidInputException(name, "unknown field (a request has inputs and parameters)");
            }
        });
        if (!inputs.isArray()) {
            return new PredictRequest(List.of(new TaskInput.Json(inputs, "inputs")), root.get("parameters"), false);
        }
        if (inputs.isEmpty()) {
            throw new InvalidInputException("inputs", "the list is empty");
        }
        if (inputs.size() > maxItems) {
            throw new PayloadTooLargeException("inputs", inputs.size() + " items, more than the limit of " + maxItems);
        }
        List<TaskInput> items = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            items.add(new TaskInput.Json(inputs.get(i), "inputs[" + i + "]"));
        }
        return new PredictRequest(items, root.get("parameters"), true);
    }

    static PredictRequest fromBinary(byte[] body, String mediaType) {
        if (body.length == 0) {
            throw new InvalidInputException("body", "is empty");
        }
        return new PredictRequest(List.of(new TaskInput.Binary(body, mediaType, "body")), null, false);
    }
}
