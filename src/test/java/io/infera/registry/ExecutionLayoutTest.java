package io.infera.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ExecutionLayoutTest {

    @Test
    void unlessToldAModelRunsOneSessionOnEveryCore() {
        assertEquals(new ExecutionLayout(1, 2), ExecutionLayout.choose(2, 0, 0));
        assertEquals(new ExecutionLayout(1, 16), ExecutionLayout.choose(16, 0, 0));
        assertEquals(new ExecutionLayout(1, 1), ExecutionLayout.choose(1, 0, 0));
    }

    @Test
    void configuredSessionsShareTheCores() {
        assertEquals(new ExecutionLayout(2, 1), ExecutionLayout.choose(2, 2, 0));
        assertEquals(new ExecutionLayout(4, 4), ExecutionLayout.choose(16, 4, 0));
        assertEquals(new ExecutionLayout(3, 1), ExecutionLayout.choose(2, 3, 0));
    }

    @Test
    void configuredThreadsAreKept() {
        assertEquals(new ExecutionLayout(1, 4), ExecutionLayout.choose(2, 0, 4));
        assertEquals(new ExecutionLayout(2, 1), ExecutionLayout.choose(8, 2, 1));
    }

    @Test
    void negativeSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ExecutionLayout.choose(2, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> ExecutionLayout.choose(2, 0, -2));
    }
}
