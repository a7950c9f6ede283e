package io.infera.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The reference cases of one model and parameter set, sent as one predict request so that their
 * rows (windows of long texts included) share batches; each answer must still equal its own
 * pipeline output (labels, words and offsets exactly, scores within 1e-4).
 */
public record ReferenceBatch(String model, JsonNode parameters, List<ReferenceCase> cases) {

    /** The cases of the reference files, grouped by model and parameters in file order. */
    public static Stream<ReferenceBatch> of(String... files) {
        List<ReferenceBatch> batches = new ArrayList<>();
        for (String file : files) {
            Map<String, List<ReferenceCase>> grouped = new LinkedHashMap<>();
            for (ReferenceCase c : ReferenceCase.load(file)) {
                grouped.computeIfAbsent(c.model() + " " + c.parameters(), k -> new ArrayList<>())
                        .add(c);
            }
            grouped.values()
                    .forEach(cases -> batches.add(new ReferenceBatch(
                            cases.getFirst().model(), cases.getFirst().parameters(), cases)));
        }
        return batches.stream();
    }

    /** Sends every input in one request and compares each answer with its reference. */
    public void assertAnsweredTogether() {
        ArrayNode inputs = TestModels.JSON.createArrayNode();
        cases.forEach(c -> inputs.add(c.inputs()));
        JsonNode answers = HttpPredict.json(model, inputs, parameters);
        assertEquals(cases.size(), answers.size());
        for (int i = 0; i < answers.size(); i++) {
            ReferenceCase c = cases.get(i);
            try {
                JsonMatch.assertMatches(c.expected(), answers.get(i), JsonMatch.SCORE_TOLERANCE);
            } catch (AssertionError e) {
                throw new AssertionError(c + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return model + " " + parameters + " (" + cases.size() + " inputs)";
    }
}
