package io.infera.tasks.tokenclassification;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The entities of a token-classification answer, shaped as the transformers pipeline shapes them. */
final class Entities {

    private Entities() {}

    /** Anything with a character span and a score, for merging the answers of overlapping windows. */
    sealed interface Span permits Tagged, Group {
        int start();

        int end();

        float score();
    }

    /**
     * A token (aggregation none/simple) or a word (first/average/max) with its tag.
     *
     * @param index the token's position in its window; null for words
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record Tagged(String entity, float score, Integer index, String word, int start, int end) implements Span {}

    /** Adjacent tokens or words with the same tag, merged. */
    record Group(@JsonProperty("entity_group") String entityGroup, float score, String word, int start, int end)
            implements Span {}

    /**
     * A token before aggregation: its softmax scores and whether it continues the previous word.
     */
    record PreEntity(String word, float[] scores, int start, int end, int index, boolean subword) {}
}
