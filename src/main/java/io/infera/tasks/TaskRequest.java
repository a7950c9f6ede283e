package io.infera.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.InvalidInputException;
import io.infera.errors.PayloadTooLargeException;
import java.util.ArrayList;
import java.util.List;

/**
 * A task request, {@code {"inputs": X, "parameters": {...}}}: X is one item or a list of items.
 * The HTTP route and the offline scorer read requests the same way.
 *
 * @param items      the input items, in order
 * @param parameters the parameters object, or null
 * @param batch      whether inputs was a list, so the answer is a list too
 */
public record TaskRequest(List<TaskInput> items, JsonNode parameters, boolean batch) {

    /** The field that keeps a client on one model version under a traffic split; the router reads it. */
    static final String ROUTING_KEY = "routing_key";

    /** @param root the request's JSON object */
    public static TaskRequest fromObject(JsonNode root, int maxItems) {
        JsonNode inputs = root.get("inputs");
        if (inputs == null || inputs.isNull()) {
            throw new InvalidInputException("inputs", "is required");
        }
        root.fieldNames().forEachRemaining(name -> {
            if (name.equals(ROUTING_KEY) && !root.get(ROUTING_KEY).isTextual()) {
                throw new InvalidInputException(name, "a routing key is a string (a user or session id)");
            }
            if (!name.equals("inputs") && !name.equals("parameters") && !name.equals(ROUTING_KEY)) {
                throw new InvalidInputException(
                        name, "unknown field (a request has inputs, parameters and a routing_key)");
            }
        });
        if (!inputs.isArray()) {
            return new TaskRequest(List.of(new TaskInput.Json(inputs, "inputs")), root.get("parameters"), false);
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
        return new TaskRequest(items, root.get("parameters"), true);
    }

    public static TaskRequest fromBinary(byte[] body, String mediaType) {
        if (body.length == 0) {
            throw new InvalidInputException("body", "is empty");
        }
        return new TaskRequest(List.of(new TaskInput.Binary(body, mediaType, "body")), null, false);
    }
}
