package io.infera.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infera.generation.GenerationObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Per-model gauges follow the model's current load: a model loaded again reports through the same series. */
class InferaMetricsTest {

    @Test
    void generationGaugesReadTheLatestLoad() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InferaMetrics metrics = new InferaMetrics(registry);
        GenerationObserver first = metrics.generation("gpt");
        first.occupancy(3, 1);
        assertEquals(
                3,
                registry.get("infera_generation_sequences")
                        .tag("state", "running")
                        .gauge()
                        .value());
        GenerationObserver second = metrics.generation("gpt"); // the model loaded again
        second.occupancy(5, 2);
        assertEquals(
                5,
                registry.get("infera_generation_sequences")
                        .tag("state", "running")
                        .gauge()
                        .value());
        assertEquals(
                2,
                registry.get("infera_generation_sequences")
                        .tag("state", "waiting")
                        .gauge()
                        .value());
    }
}
