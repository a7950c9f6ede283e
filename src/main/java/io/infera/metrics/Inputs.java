package io.infera.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What one model version is asked, for input monitoring and drift: the size of its inputs
 * ({@code infera_input_tokens}, {@code infera_input_pixels}, {@code infera_input_seconds}), the
 * share of unknown tokens ({@code infera_input_unknown_tokens_total} over the tokens) and of
 * truncated texts ({@code infera_input_truncated_total} over {@code infera_inputs_total}), and the
 * brightness of pictures ({@code infera_input_brightness}). Meters are made on first use, so a
 * text model has no picture series.
 */
final class Inputs {

    private final MeterRegistry registry;
    private final String model;
    private final String version;
    private volatile Text text;
    private volatile Image image;
    private volatile DistributionSummary seconds;

    private record Text(Counter inputs, DistributionSummary tokens, Counter unknown, Counter truncated) {}

    private record Image(Counter inputs, DistributionSummary pixels, DistributionSummary brightness) {}

    Inputs(MeterRegistry registry, String model, String version) {
        this.registry = registry;
        this.model = model;
        this.version = version;
    }

    void text(int tokens, int unknownTokens, boolean truncated) {
        Text meters = text;
        if (meters == null) {
            meters = text = new Text(
                    inputs("text"),
                    summary(
                            "infera_input_tokens",
                            "Tokens per text row the model reads",
                            8,
                            16,
                            32,
                            64,
                            128,
                            256,
                            512,
                            1024,
                            2048,
                            4096),
                    Counter.builder("infera_input_unknown_tokens")
                            .description("Tokens that are the vocabulary's unknown token")
                            .tags("model", model, "version", version)
                            .register(registry),
                    Counter.builder("infera_input_truncated")
                            .description("Texts cut at the model's token limit")
                            .tags("model", model, "version", version)
                            .register(registry));
        }
        meters.inputs().increment();
        meters.tokens().record(tokens);
        if (unknownTokens > 0) {
            meters.unknown().increment(unknownTokens);
        }
        if (truncated) {
            meters.truncated().increment();
        }
    }

    void image(int width, int height, double brightness) {
        Image meters = image;
        if (meters == null) {
            meters = image = new Image(
                    inputs("image"),
                    summary(
                            "infera_input_pixels",
                            "Pixels per picture, as decoded (size buckets)",
                            32 * 32,
                            64 * 64,
                            128 * 128,
                            224 * 224,
                            512 * 512,
                            1024 * 1024,
                            2048 * 2048,
                            4096 * 4096),
                    summary(
                            "infera_input_brightness",
                            "Mean brightness per picture, 0 black to 1 white",
                            0.1,
                            0.2,
                            0.3,
                            0.4,
                            0.5,
                            0.6,
                            0.7,
                            0.8,
                            0.9,
                            1.0));
        }
        meters.inputs().increment();
        meters.pixels().record((double) width * height);
        meters.brightness().record(brightness);
    }

    void audio(double clipSeconds) {
        DistributionSummary meter = seconds;
        if (meter == null) {
            meter = seconds =
                    summary("infera_input_seconds", "Seconds per clip, as decoded", 1, 2, 5, 10, 30, 60, 300, 1800);
        }
        meter.record(clipSeconds);
        inputs("audio").increment();
    }

    private Counter inputs(String kind) {
        return Counter.builder("infera_inputs")
                .description("Inputs read, by kind: text rows, pictures, clips")
                .tags("model", model, "version", version, "kind", kind)
                .register(registry);
    }

    private DistributionSummary summary(String name, String description, double... buckets) {
        return DistributionSummary.builder(name)
                .description(description)
                .tags("model", model, "version", version)
                .serviceLevelObjectives(buckets)
                .register(registry);
    }
}
