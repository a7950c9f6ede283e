package io.infera.generation;

/**
 * How an encoder-decoder model continues, with the transformers {@code generate} meanings.
 *
 * @param generation         token limit, end tokens, processors, and greedy or sampling choice
 * @param numBeams           1 for greedy decoding or sampling, more for beam search
 * @param lengthPenalty      beam scores are divided by length^lengthPenalty
 * @param earlyStopping      when beam search stops
 * @param decoderStart       the token the decoder starts from
 * @param numReturnSequences how many of the best finished beams are answered (1 without beams)
 */
public record Seq2SeqSettings(
        GenerationSettings generation,
        int numBeams,
        double lengthPenalty,
        EarlyStopping earlyStopping,
        int decoderStart,
        int numReturnSequences) {

    /** transformers' early_stopping: true, false (its heuristic) or "never". */
    public enum EarlyStopping {
        TRUE,
        FALSE,
        NEVER
    }

    public Seq2SeqSettings {
        if (numReturnSequences < 1 || numReturnSequences > Math.max(1, numBeams)) {
            throw new IllegalArgumentException(
                    "num_return_sequences " + numReturnSequences + " must be between 1 and num_beams " + numBeams);
        }
    }

    int maxNewTokens() {
        return generation.maxNewTokens();
    }

    int[] eosTokenIds() {
        return generation.eosTokenIds();
    }

    boolean isEos(int token) {
        return generation.isEos(token);
    }

    /**
     * The logits processors of generate before the choice, on the decoder's sequence so far.
     *
     * @param scores   one position's logits (greedy, sampling) or log-probabilities (beam search)
     * @param sequence the decoder start token and the tokens generated so far
     */
    void process(float[] scores, int[] sequence) {
        generation.process(scores, sequence, 1);
    }
}
