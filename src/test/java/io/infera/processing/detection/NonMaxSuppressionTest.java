package io.infera.processing.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NMS against ONNX Runtime's NonMaxSuppression operator on seeded random boxes (per class and
 * across classes, swapped corners, score thresholds, caps): fixtures/make_vision_models.py.
 */
class NonMaxSuppressionTest {

    record Case(int index, JsonNode json) {
        @Override
        public String toString() {
            return "case " + index + " (" + json.get("boxes").size() + " boxes, iou " + json.get("iou_threshold")
                    + (json.get("class_aware").asBoolean() ? ", per class" : "") + ")";
        }
    }

    static Stream<Case> cases() throws Exception {
        JsonNode all = TestModels.JSON.readTree(
                TestModels.REFERENCES.resolve("nms.json").toFile());
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            cases.add(new Case(i, all.get(i)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keepsWhatOnnxRuntimeKeeps(Case c) {
        JsonNode j = c.json();
        List<Detection> candidates = new ArrayList<>();
        for (int i = 0; i < j.get("boxes").size(); i++) {
            JsonNode b = j.get("boxes").get(i);
            candidates.add(new Detection(
                    (float) b.get(0).asDouble(),
                    (float) b.get(1).asDouble(),
                    (float) b.get(2).asDouble(),
                    (float) b.get(3).asDouble(),
                    j.get("labels").get(i).asInt(),
                    (float) j.get("scores").get(i).asDouble()));
        }
        NonMaxSuppression nms = new NonMaxSuppression(
                (float) j.get("iou_threshold").asDouble(),
                (float) j.get("score_threshold").asDouble(),
                j.get("max_detections").asInt(),
                j.get("class_aware").asBoolean());
        List<Integer> kept = new ArrayList<>();
        for (Detection d : nms.apply(candidates)) {
            kept.add(indexOf(candidates, d));
        }
        List<Integer> expected = new ArrayList<>();
        j.get("expected").forEach(n -> expected.add(n.asInt()));
        assertEquals(expected, kept);
    }

    /** Scores are distinct random floats: a kept detection is found by its score. */
    private static int indexOf(List<Detection> candidates, Detection d) {
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i).score() == d.score() && candidates.get(i).label() == d.label()) {
                return i;
            }
        }
        throw new AssertionError("not a candidate: " + d);
    }

    @Test
    void overlapIsComputedOnNormalisedCorners() {
        Detection a = new Detection(0, 0, 10, 10, 0, 0.9f);
        Detection b = new Detection(5, 0, 15, 10, 0, 0.8f);
        assertEquals(50f / 150f, a.iou(b), 1e-6);
        NonMaxSuppression nms = new NonMaxSuppression(0.3f, 0f, 10, false);
        assertEquals(List.of(a), nms.apply(List.of(b, a)));
        assertEquals(
                2,
                new NonMaxSuppression(0.4f, 0f, 10, false).apply(List.of(a, b)).size());
        assertEquals(
                2,
                new NonMaxSuppression(0.3f, 0f, 10, true)
                        .apply(List.of(a, new Detection(5, 0, 15, 10, 1, 0.8f)))
                        .size());
        assertThrows(IllegalArgumentException.class, () -> new NonMaxSuppression(1.5f, 0, 1, true));
    }
}
