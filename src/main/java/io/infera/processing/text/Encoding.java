package io.infera.processing.text;

/**
 * One tokenized text (or text pair), unpadded.
 *
 * @param ids           token ids
 * @param typeIds       segment ids (0 for the first text, 1 for the pair)
 * @param attentionMask 1 for every real token (an unpadded encoding is all ones)
 * @param tokens        the token strings
 * @param starts        start offset of each token in its source text, in Unicode code points; -1 for special tokens
 * @param ends          end offset (exclusive) of each token, in code points; -1 for special tokens
 * @param sequenceIds   which text a token came from: 0 the first, 1 the pair, -1 a special token
 * @param wordIds       index of the word a token belongs to, -1 for special tokens
 * @param truncated     whether the text had more tokens than the tokenizer's limit and lost them
 *                      (false for a window of a text read in overlapping windows)
 */
public record Encoding(
        long[] ids,
        long[] typeIds,
        long[] attentionMask,
        String[] tokens,
        int[] starts,
        int[] ends,
        int[] sequenceIds,
        int[] wordIds,
        boolean truncated) {

    public int length() {
        return ids.length;
    }
}
