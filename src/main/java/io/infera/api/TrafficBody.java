package io.infera.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.errors.InvalidInputException;
import io.infera.routing.TrafficPolicy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The management API's traffic body: {@code {"split": {"1": 95, "2": 5}, "shadow": {"version": "2",
 * "sample": 1.0}}}, both optional ({@code {}} sends everything to the default version). Unknown
 * fields are refused, naming the field.
 */
final class TrafficBody {

    private TrafficBody() {}

    static TrafficPolicy read(ObjectMapper json, byte[] body) {
        JsonNode root = JsonBody.readObject(json, body, "{\"split\": {\"1\": 95, \"2\": 5}, \"shadow\": {...}}");
        root.fieldNames().forEachRemaining(name -> {
            if (!name.equals("split") && !name.equals("shadow")) {
                throw new InvalidInputException(name, "unknown field (a traffic policy has split and shadow)");
            }
        });
        Map<String, Integer> split = new LinkedHashMap<>();
        JsonNode weights = root.path("split");
        if (!weights.isMissingNode() && !weights.isNull()) {
            if (!weights.isObject()) {
                throw new InvalidInputException("split", "expected {\"version\": weight, ...}");
            }
            weights.properties().forEach(w -> {
                if (!w.getValue().canConvertToInt() || !w.getValue().isIntegralNumber()) {
                    throw new InvalidInputException("split." + w.getKey(), "a weight is a whole number >= 0");
                }
                split.put(w.getKey(), w.getValue().intValue());
            });
        }
        JsonNode shadow = root.path("shadow");
        if (shadow.isMissingNode() || shadow.isNull()) {
            return new TrafficPolicy(split, null);
        }
        if (!shadow.isObject()) {
            throw new InvalidInputException("shadow", "expected {\"version\": ..., \"sample\": 0..1}");
        }
        shadow.fieldNames().forEachRemaining(name -> {
            if (!name.equals("version") && !name.equals("sample")) {
                throw new InvalidInputException("shadow." + name, "unknown field (a shadow has version and sample)");
            }
        });
        JsonNode version = shadow.path("version");
        if (!version.isTextual() && !version.isIntegralNumber()) {
            throw new InvalidInputException("shadow.version", "the version that gets the copies, such as \"2\"");
        }
        JsonNode sample = shadow.path("sample");
        if (!sample.isMissingNode() && !sample.isNumber()) {
            throw new InvalidInputException("shadow.sample", "a share above 0 and at most 1");
        }
        return new TrafficPolicy(
                split, new TrafficPolicy.Shadow(version.asText(), sample.isMissingNode() ? 1.0 : sample.asDouble()));
    }
}
