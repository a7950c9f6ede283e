package io.infera.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.errors.InvalidInputException;
import io.infera.processing.ScoreFunction;
import io.infera.testing.TestModels;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ParametersTest {

    private static Parameters of(String json) throws Exception {
        return Parameters.of(TestModels.JSON.readTree(json));
    }

    @Test
    void countsDistinguishAbsentNullAndNumbers() throws Exception {
        assertEquals(OptionalInt.of(1), of("{}").count("top_k", OptionalInt.of(1)));
        assertEquals(OptionalInt.empty(), of("{\"top_k\": null}").count("top_k", OptionalInt.of(1)));
        assertEquals(OptionalInt.of(3), of("{\"top_k\": 3}").count("top_k", OptionalInt.of(1)));
    }

    @Test
    void invalidValuesNameTheirField() throws Exception {
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> of("{\"top_k\": 0}").count("top_k", OptionalInt.of(1)));
        assertEquals("parameters.top_k", e.field());
        e = assertThrows(
                InvalidInputException.class, () -> of("{\"top_k\": \"3\"}").count("top_k", OptionalInt.of(1)));
        assertEquals("parameters.top_k", e.field());
        e = assertThrows(
                InvalidInputException.class,
                () -> of("{\"function_to_apply\": \"tanh\"}")
                        .choice("function_to_apply", ScoreFunction.class, ScoreFunction.NONE));
        assertTrue(e.getMessage().contains("softmax, sigmoid, none"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> of("{\"normalize\": 1}").bool("normalize", false));
        assertThrows(InvalidInputException.class, () -> of("[1]"));
    }

    @Test
    void unreadParametersAreRefusedAsUnknown() throws Exception {
        Parameters p = of("{\"top_k\": 2, \"topk\": 3}");
        p.count("top_k", OptionalInt.of(1));
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> p.rejectUnread("text-classification"));
        assertEquals("parameters.topk", e.field());
    }

    @Test
    void choicesAreCaseInsensitive() throws Exception {
        assertEquals(
                ScoreFunction.SIGMOID, of("{\"f\": \"Sigmoid\"}").choice("f", ScoreFunction.class, ScoreFunction.NONE));
    }
}
