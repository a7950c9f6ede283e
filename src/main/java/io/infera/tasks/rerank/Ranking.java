package io.infera.tasks.rerank;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * A query's texts best first and the tokens their pairs took: the answer is the list, the token
 * count is what the rerank route reports as usage.
 */
public record Ranking(List<Ranked> results, int tokens) {

    @JsonValue
    @Override
    public List<Ranked> results() {
        return results;
    }

    /** One text: its place in the request, its relevance, and the text when asked for. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ranked(int index, float score, String text) {}
}
