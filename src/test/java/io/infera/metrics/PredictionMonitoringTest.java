package io.infera.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.tasks.AnswerSummary;
import io.infera.tasks.PipelineObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a version answers and is asked, as the per-version meters count it. */
class PredictionMonitoringTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InferaMetrics metrics = new InferaMetrics(registry);

    @Test
    void topScoresLabelsAndSizesAreCountedPerVersion() {
        PipelineObserver v1 = metrics.pipeline("sentiment", "1", "text-classification");
        PipelineObserver v2 = metrics.pipeline("sentiment", "2", "text-classification");
        v1.answered(new AnswerSummary("positive", 0.9, 3, null));
        v1.answered(new AnswerSummary("positive", 0.7, 3, null));
        v2.answered(new AnswerSummary("negative", 0.4, 3, null));
        assertEquals(
                2,
                registry.get("infera_prediction_top_score")
                        .tag("version", "1")
                        .summary()
                        .count());
        assertEquals(
                0.8,
                registry.get("infera_prediction_top_score")
                        .tag("version", "1")
                        .summary()
                        .mean(),
                1e-9);
        assertEquals(
                2,
                registry.get("infera_predicted_labels")
                        .tags("version", "1", "label", "positive")
                        .counter()
                        .count());
        assertEquals(
                1,
                registry.get("infera_predicted_labels")
                        .tags("version", "2", "label", "negative")
                        .counter()
                        .count());
        assertEquals(
                3,
                registry.get("infera_prediction_size")
                        .tag("version", "2")
                        .summary()
                        .mean(),
                1e-9);
    }

    @Test
    void labelsBeyondTheCapCountAsOtherAndFreeTextNeverBecomesALabel() {
        PipelineObserver classifier = metrics.pipeline("many", "1", "image-classification");
        for (int i = 0; i < Predictions.MAX_LABELS + 10; i++) {
            classifier.answered(new AnswerSummary("class-" + i, 0.5, 1, null));
        }
        long series = registry.find("infera_predicted_labels")
                .tag("model", "many")
                .counters()
                .size();
        assertEquals(Predictions.MAX_LABELS + 1, series, "the cap, and other");
        assertEquals(
                10,
                registry.get("infera_predicted_labels")
                        .tags("model", "many", "label", "other")
                        .counter()
                        .count());
        PipelineObserver generator = metrics.pipeline("t5", "1", "text2text-generation");
        generator.answered(new AnswerSummary("a generated sentence", Double.NaN, 20, null));
        assertTrue(registry.find("infera_predicted_labels")
                .tag("model", "t5")
                .counters()
                .isEmpty());
        assertEquals(
                20,
                registry.get("infera_prediction_size")
                        .tag("model", "t5")
                        .summary()
                        .mean(),
                1e-9);
        assertEquals(
                0,
                registry.get("infera_prediction_top_score")
                        .tag("model", "t5")
                        .summary()
                        .count());
    }

    @Test
    void inputsAreMeasuredForDrift() {
        PipelineObserver text = metrics.pipeline("bert", "2", "text-classification");
        assertTrue(text.watchesInputs());
        text.text(10, 2, false);
        text.text(512, 0, true);
        assertEquals(
                2,
                registry.get("infera_inputs")
                        .tags("model", "bert", "kind", "text")
                        .counter()
                        .count());
        assertEquals(
                261,
                registry.get("infera_input_tokens")
                        .tag("model", "bert")
                        .summary()
                        .mean(),
                1e-9);
        assertEquals(
                2,
                registry.get("infera_input_unknown_tokens")
                        .tag("model", "bert")
                        .counter()
                        .count());
        assertEquals(
                1,
                registry.get("infera_input_truncated")
                        .tag("model", "bert")
                        .counter()
                        .count());
        PipelineObserver image = metrics.pipeline("vit", "1", "image-classification");
        image.image(640, 480, 0.25);
        assertEquals(
                640 * 480,
                registry.get("infera_input_pixels")
                        .tag("model", "vit")
                        .summary()
                        .mean(),
                1e-9);
        assertEquals(
                0.25,
                registry.get("infera_input_brightness")
                        .tag("model", "vit")
                        .summary()
                        .mean(),
                1e-9);
        assertTrue(registry.find("infera_input_tokens")
                .tag("model", "vit")
                .summaries()
                .isEmpty());
        PipelineObserver audio = metrics.pipeline("ctc", "1", "automatic-speech-recognition");
        audio.audio(2.5);
        assertEquals(
                2.5,
                registry.get("infera_input_seconds")
                        .tag("model", "ctc")
                        .summary()
                        .mean(),
                1e-9);
        assertEquals(
                1,
                registry.get("infera_inputs")
                        .tags("model", "ctc", "kind", "audio")
                        .counter()
                        .count());
    }

    @Test
    void shadowComparisonsAreCountedByResult() {
        metrics.shadowCompared("sentiment", "2", true, 0.1);
        metrics.shadowCompared("sentiment", "2", false, 0.3);
        metrics.shadowCompared("sentiment", "2", true, Double.NaN);
        assertEquals(
                2,
                registry.get("infera_shadow_comparisons")
                        .tags("version", "2", "result", "agree")
                        .counter()
                        .count());
        assertEquals(
                1,
                registry.get("infera_shadow_comparisons")
                        .tags("version", "2", "result", "disagree")
                        .counter()
                        .count());
        assertEquals(2, registry.get("infera_shadow_score_difference").summary().count());
        assertEquals(
                0.2, registry.get("infera_shadow_score_difference").summary().mean(), 1e-9);
    }

    @Test
    void summariesReadEveryAnswerShape() {
        List<Object> classes =
                List.of(new io.infera.processing.LabelScore("b", 0.2), new io.infera.processing.LabelScore("a", 0.8));
        AnswerSummary top = AnswerSummary.of(classes);
        assertEquals("a", top.label());
        assertEquals(0.8, top.score(), 1e-9);
        assertEquals(2, top.size());
        assertTrue(top.agrees(new AnswerSummary("a", 0.6, 2, null)));
        assertTrue(!top.agrees(new AnswerSummary("b", 0.6, 2, null)));
        AnswerSummary vector = AnswerSummary.of(new float[] {1, 0, 0});
        assertEquals(3, vector.size());
        assertTrue(vector.agrees(AnswerSummary.of(new float[] {1, 0.01f, 0})));
        assertTrue(!vector.agrees(AnswerSummary.of(new float[] {0, 1, 0})));
        AnswerSummary text = AnswerSummary.of(java.util.Map.of("generated_text", "hello"));
        assertEquals("hello", text.label());
        assertEquals(5, text.size());
        AnswerSummary zeroShot =
                AnswerSummary.of(java.util.Map.of("labels", List.of("x", "y"), "scores", List.of(0.7, 0.3)));
        assertEquals("x", zeroShot.label());
        assertEquals(0.7, zeroShot.score(), 1e-9);
    }
}
