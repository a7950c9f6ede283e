package io.infera.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;

/**
 * Compares an answer with a reference: same structure, equal strings and booleans (labels, words,
 * offsets exactly), numbers within a tolerance (scores within 1e-4).
 */
public final class JsonMatch {

    public static final double SCORE_TOLERANCE = 1e-4;

    private JsonMatch() {}

    public static void assertMatches(JsonNode expected, Object actual) {
        assertMatches(expected, TestModels.JSON.valueToTree(actual), SCORE_TOLERANCE);
    }

    public static void assertMatches(JsonNode expected, JsonNode actual, double tolerance) {
        compare(expected, actual, tolerance, "$");
    }

    private static void compare(JsonNode expected, JsonNode actual, double tolerance, String path) {
        if (expected.isNumber()) {
            assertTrue(actual.isNumber(), path + ": expected a number, got " + actual);
            double diff = Math.abs(expected.asDouble() - actual.asDouble());
            if (expected.isIntegralNumber() && actual.isIntegralNumber()) {
                assertEquals(expected.asLong(), actual.asLong(), path);
            } else if (diff > tolerance) {
                fail(path + ": expected " + expected + ", got " + actual + " (difference " + diff + ")");
            }
        } else if (expected.isArray()) {
            assertTrue(actual.isArray(), path + ": expected an array, got " + actual);
            assertEquals(expected.size(), actual.size(), path + ": array length");
            for (int i = 0; i < expected.size(); i++) {
                compare(expected.get(i), actual.get(i), tolerance, path + "[" + i + "]");
            }
        } else if (expected.isObject()) {
            assertTrue(actual.isObject(), path + ": expected an object, got " + actual);
            assertEquals(
                    expected.size(),
                    actual.size(),
                    path + ": fields " + expected.properties() + " vs " + actual.properties());
            for (Iterator<String> names = expected.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                assertTrue(actual.has(name), path + ": missing field " + name);
                compare(expected.get(name), actual.get(name), tolerance, path + "." + name);
            }
        } else {
            assertEquals(expected, actual, path);
        }
    }
}
