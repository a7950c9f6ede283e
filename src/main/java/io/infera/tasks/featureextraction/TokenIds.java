package io.infera.tasks.featureextraction;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.InvalidInputException;
import io.infera.processing.text.Encoding;
import io.infera.processing.text.Tokenizer;
import java.util.Arrays;

/**
 * An input given as token ids (OpenAI's embeddings input may be one): taken as they are — no
 * special tokens added, no prompt — each checked against the vocabulary, cut to the model's limit
 * unless the request refuses truncation.
 */
final class TokenIds {

    private TokenIds() {}

    static Encoding encoding(JsonNode ids, String field, Tokenizer tokenizer, FeatureExtractionParameters parameters) {
        if (ids.isEmpty()) {
            throw new InvalidInputException(field, "a list of token ids must not be empty");
        }
        if (!parameters.prompt().text().isEmpty()) {
            throw new InvalidInputException(field, "a prompt is put before text, not before token ids");
        }
        int limit = tokenizer.maxLength();
        if (ids.size() > limit && !parameters.truncate()) {
            throw new InvalidInputException(
                    field,
                    "input of " + ids.size() + " tokens is over the model's limit of " + limit
                            + " (truncate: false was asked)");
        }
        int length = Math.min(ids.size(), limit);
        long vocabulary = tokenizer.vocabularySize();
        long[] values = new long[length];
        for (int i = 0; i < length; i++) {
            JsonNode id = ids.get(i);
            if (!id.isIntegralNumber() || id.asLong() < 0 || id.asLong() >= vocabulary) {
                throw new InvalidInputException(
                        field + "[" + i + "]",
                        "a token id must be an integer from 0 to " + (vocabulary - 1) + " (the vocabulary), got " + id);
            }
            values[i] = id.asLong();
        }
        long[] ones = new long[length];
        Arrays.fill(ones, 1);
        int[] none = new int[length];
        Arrays.fill(none, -1);
        return new Encoding(values, new long[length], ones, new String[length], none, none, none, none, false);
    }
}
