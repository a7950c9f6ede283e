package io.infera.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.tasks.featureextraction.Embedding;

/**
 * What monitoring and shadow comparison read from one item's answer, whatever the task: its top
 * label (the best-scored class, entity, token, span or choice), that label's score, its size (how
 * many labels, entities, boxes, segments, results or dimensions it has, or how many characters a
 * generated text has) and, for generated text, the text; for a vector (embeddings) the vector.
 * Read from the answer as it is written on the wire, so every task's answer shape is covered.
 *
 * @param label  the top label or answer text, or null when the answer has none
 * @param score  the top score, or NaN when the answer has none
 * @param size   labels, entities, boxes, segments, results, dimensions or characters
 * @param vector the answer's numbers when it is a vector, else null
 */
public record AnswerSummary(String label, double score, int size, double[] vector) {

    /** The fields that name an answer's label, in the order the tasks' answers use them. */
    private static final String[] LABELS = {
        "label",
        "entity_group",
        "entity",
        "token_str",
        "answer",
        "choice",
        "generated_text",
        "summary_text",
        "translation_text",
        "text"
    };

    /** Answers are records and lists of them: a plain mapper writes them as the wire does. */
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The summary of one item's answer; an answer that cannot be read is summarised as empty. */
    public static AnswerSummary of(Object answer) {
        try {
            Object value = answer instanceof Embedding embedding ? embedding.vector() : answer;
            if (value instanceof float[] floats) { // a vector: read as it is, never written out
                double[] values = new double[floats.length];
                for (int i = 0; i < floats.length; i++) {
                    values[i] = floats[i];
                }
                return new AnswerSummary(null, Double.NaN, values.length, values);
            }
            return of(JSON.valueToTree(value));
        } catch (IllegalArgumentException e) {
            return new AnswerSummary(null, Double.NaN, 0, null);
        }
    }

    static AnswerSummary of(JsonNode answer) {
        if (answer.isArray()) {
            if (answer.isEmpty()) {
                return new AnswerSummary(null, Double.NaN, 0, null);
            }
            JsonNode first = answer.get(0);
            if (first.isNumber()) {
                return vector(answer);
            }
            if (first.isArray()) {
                return of(first); // one answer per mask or per image: the first stands for the item
            }
            JsonNode best = null;
            for (JsonNode element : answer) {
                if (best == null
                        || element.path("score").asDouble(Double.NEGATIVE_INFINITY)
                                > best.path("score").asDouble(Double.NEGATIVE_INFINITY)) {
                    best = element;
                }
            }
            AnswerSummary top = of(best);
            return new AnswerSummary(top.label(), top.score(), answer.size(), null);
        }
        if (answer.has("labels") && answer.has("scores")) {
            return new AnswerSummary(
                    answer.get("labels").path(0).asText(null),
                    answer.get("scores").path(0).asDouble(Double.NaN),
                    answer.get("labels").size(),
                    null);
        }
        if (answer.has("results") && answer.get("results").isArray()) {
            AnswerSummary top = of(answer.get("results"));
            JsonNode first = answer.get("results").path(0);
            String label = first.has("index") ? first.get("index").asText() : top.label();
            return new AnswerSummary(label, first.path("score").asDouble(Double.NaN), top.size(), null);
        }
        for (String field : LABELS) {
            JsonNode label = answer.get(field);
            if (label != null && label.isTextual()) {
                boolean generated = field.endsWith("_text") || field.equals("text");
                return new AnswerSummary(
                        label.asText(),
                        answer.path("score").asDouble(Double.NaN),
                        generated ? label.asText().length() : 1,
                        null);
            }
        }
        return new AnswerSummary(null, answer.path("score").asDouble(Double.NaN), answer.size(), null);
    }

    private static AnswerSummary vector(JsonNode numbers) {
        double[] values = new double[numbers.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = numbers.get(i).asDouble();
        }
        return new AnswerSummary(null, Double.NaN, values.length, values);
    }

    /**
     * Whether two answers to the same input agree: the same top label (or text) where they have
     * one; vectors of the same size at cosine 0.99 or more; else the same size.
     */
    public boolean agrees(AnswerSummary other) {
        if (label != null || other.label != null) {
            return label != null && label.equals(other.label);
        }
        if (vector != null && other.vector != null) {
            return vector.length == other.vector.length && cosine(vector, other.vector) >= 0.99;
        }
        return size == other.size;
    }

    /** |score - other's score|, or NaN when either has no score. */
    public double scoreDifference(AnswerSummary other) {
        return Math.abs(score - other.score);
    }

    private static double cosine(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? (na == nb ? 1 : 0) : dot / Math.sqrt(na * nb);
    }
}
