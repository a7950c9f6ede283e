package io.infera.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One reference output a models/ script stored: the model, the pipeline's inputs and parameters,
 * and what the Hugging Face pipeline answered.
 */
public record ReferenceCase(String model, JsonNode inputs, JsonNode parameters, JsonNode expected) {

    public static List<ReferenceCase> load(String file) {
        try {
            JsonNode root =
                    TestModels.JSON.readTree(TestModels.REFERENCES.resolve(file).toFile());
            List<ReferenceCase> cases = new ArrayList<>();
            for (JsonNode c : root) {
                cases.add(new ReferenceCase(
                        c.get("model").asText(), c.get("inputs"), c.get("parameters"), c.get("expected")));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        String text = inputs.isTextual() ? inputs.asText() : inputs.toString();
        return model + " " + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + " " + parameters;
    }
}
