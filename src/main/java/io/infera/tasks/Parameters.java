package io.infera.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.infera.errors.InvalidInputException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * A request's {@code parameters} object with typed, validated reads. Every read is remembered so
 * that a parameter the task never read can be refused as unknown (catching typos such as
 * {@code topk}) instead of being silently ignored.
 */
public final class Parameters {

    private final JsonNode node;
    private final Set<String> read = new HashSet<>();

    private Parameters(JsonNode node) {
        this.node = node;
    }

    /** @param node the parameters object; null or JSON null mean none */
    public static Parameters of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new Parameters(JsonNodeFactory.instance.objectNode());
        }
        if (!node.isObject()) {
            throw new InvalidInputException("parameters", "expected an object, got " + node.getNodeType());
        }
        return new Parameters(node);
    }

    public boolean has(String name) {
        read.add(name);
        return node.has(name);
    }

    /** An integer within [min, max], or the default when absent. */
    public int integer(String name, int defaultValue, int min, int max) {
        JsonNode value = value(name);
        if (value == null) {
            return defaultValue;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw invalid(name, "expected an integer, got " + value);
        }
        int v = value.asInt();
        if (v < min || v > max) {
            throw invalid(name, "must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    /**
     * A {@code top_k}-style count: absent gives the default, JSON null means "all" (empty), and a
     * number must be at least 1.
     */
    public OptionalInt count(String name, OptionalInt defaultValue) {
        read.add(name);
        if (!node.has(name)) {
            return defaultValue;
        }
        if (node.get(name).isNull()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(integer(name, 1, 1, Integer.MAX_VALUE));
    }

    /** A number within [min, max], or the default when absent. */
    public double decimal(String name, double defaultValue, double min, double max) {
        JsonNode value = value(name);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isNumber()) {
            throw invalid(name, "expected a number, got " + value);
        }
        double v = value.asDouble();
        if (!(v >= min && v <= max)) {
            throw invalid(name, "must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    public boolean bool(String name, boolean defaultValue) {
        JsonNode value = value(name);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw invalid(name, "expected true or false, got " + value);
        }
        return value.asBoolean();
    }

    /** One of an enum's constants, written in lower case in JSON (e.g. {@code "softmax"}). */
    public <E extends Enum<E>> E choice(String name, Class<E> type, E defaultValue) {
        JsonNode value = value(name);
        if (value == null) {
            return defaultValue;
        }
        Function<String, E> parse = s -> Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT));
        try {
            if (value.isTextual()) {
                return parse.apply(value.asText());
            }
        } catch (IllegalArgumentException e) {
            // reported below with the allowed values
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
        }
        throw invalid(name, "must be one of " + allowed + ", got " + value);
    }

    /** A list of strings (one string counts as a list of one), or the default when absent. */
    public java.util.List<String> strings(String name, java.util.List<String> defaultValue) {
        JsonNode value = value(name);
        if (value == null) {
            return defaultValue;
        }
        if (value.isTextual()) {
            return java.util.List.of(value.asText());
        }
        if (!value.isArray()) {
            throw invalid(name, "expected a string or a list of strings, got " + value.getNodeType());
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw new InvalidInputException(
                        "parameters." + name + "[" + i + "]", "expected a string, got " + value.get(i));
            }
            out.add(value.get(i).asText());
        }
        return java.util.List.copyOf(out);
    }

    /** A whole number of any size that fits 64 bits (a seed), or empty when absent. */
    public java.util.OptionalLong optionalLong(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return java.util.OptionalLong.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw invalid(name, "expected an integer, got " + value);
        }
        return java.util.OptionalLong.of(value.asLong());
    }

    /** The value as sent (null when absent), for parameters of more than one JSON type. */
    public JsonNode raw(String name) {
        return value(name);
    }

    /** A string, or the default when absent. */
    public String string(String name, String defaultValue) {
        JsonNode value = value(name);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isTextual()) {
            throw invalid(name, "expected a string, got " + value.getNodeType());
        }
        return value.asText();
    }

    /** Refuses the parameters no read asked for. */
    public void rejectUnread(String task) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!read.contains(name)) {
                throw invalid(
                        name,
                        "unknown parameter for " + task + " (known: " + String.join(", ", new java.util.TreeSet<>(read))
                                + ")");
            }
        }
    }

    private JsonNode value(String name) {
        read.add(name);
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    /** A refusal naming the parameter, for checks a task makes beyond one value's type and range. */
    public static InvalidInputException invalid(String name, String detail) {
        return new InvalidInputException("parameters." + name, detail);
    }
}
