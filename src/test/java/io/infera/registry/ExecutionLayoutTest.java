package io.infera.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.infera.registry.ExecutionLayout.Shape;
import org.junit.jupiter.api.Test;

class ExecutionLayoutTest {

    private static final long SMALL = 90L << 20;
    private static final long LARGE = 3L << 30;

    @Test
    void aBatchedModelRunsTwoSessionsSharingTheCores() {
        assertEquals(new ExecutionLayout(2, 1), ExecutionLayout.choose(2, SMALL, Shape.BATCHES, 0, 0));
        assertEquals(new ExecutionLayout(2, 8), ExecutionLayout.choose(16, SMALL, Shape.BATCHES, 0, 0));
        assertEquals(new ExecutionLayout(2, 2), ExecutionLayout.choose(5, SMALL, Shape.BATCHES, 0, 0));
    }

    @Test
    void oneCoreGetsOneSession() {
        assertEquals(new ExecutionLayout(1, 1), ExecutionLayout.choose(1, SMALL, Shape.BATCHES, 0, 0));
    }

    @Test
    void largeWeightsAreHeldOnce() {
        assertEquals(new ExecutionLayout(1, 16), ExecutionLayout.choose(16, LARGE, Shape.BATCHES, 0, 0));
    }

    @Test
    void aGenerationLoopOrASharedPoolGetsOneSessionOnAllCores() {
        assertEquals(new ExecutionLayout(1, 4), ExecutionLayout.choose(4, SMALL, Shape.ONE_LOOP, 0, 0));
        assertEquals(new ExecutionLayout(1, 4), ExecutionLayout.choose(4, SMALL, Shape.SHARED_POOL, 0, 0));
    }

    @Test
    void configuredValuesAreKept() {
        assertEquals(new ExecutionLayout(3, 1), ExecutionLayout.choose(2, SMALL, Shape.BATCHES, 3, 1));
        assertEquals(new ExecutionLayout(4, 2), ExecutionLayout.choose(8, LARGE, Shape.ONE_LOOP, 4, 0));
        // threads named, sessions chosen: as many as the cores hold, at most two
        assertEquals(new ExecutionLayout(1, 2), ExecutionLayout.choose(2, SMALL, Shape.BATCHES, 0, 2));
        assertEquals(new ExecutionLayout(2, 4), ExecutionLayout.choose(16, SMALL, Shape.BATCHES, 0, 4));
        assertEquals(new ExecutionLayout(1, 4), ExecutionLayout.choose(2, SMALL, Shape.BATCHES, 0, 4));
    }

    @Test
    void negativeSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ExecutionLayout.choose(2, SMALL, Shape.BATCHES, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> ExecutionLayout.choose(2, SMALL, Shape.BATCHES, 0, -2));
    }
}
