package io.infera.generation;

/**
 * How an encoder-decoder model continues, with the transformers {@code generate} meanings.
 *
 * @param generation    token limit, end tokens, and greedy or sampling choice with repetition penalty
 * @param numBeams      1 for greedy decoding or sampling, more for beam search
 * @param lengthPenalty beam scores are divided by length^lengthPenalty
 * @param earlyStopping when beam search stops
 * @param decoderStart  the token the decoder starts from
 * @param forcedBos     the token forced first, or -1
 * @param forcedEos     the token forced at the last position, or -1
 */
public record Seq2SeqSettings(GenerationSettings generation, int numBeams, double lengthPenalty, EarlyStopping earlyStopping,
                              int decoderStart, int forcedBos, int forcedEos) {

    /** transformers' early_stopping: true, false (its heuristic) or "never". */
    public enum EarlyStopping { TRUE, FALSE, NEVER }

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
     * The logits processors of generate before the choice, in its order: the repetition penalty
     * over the decoder's tokens so far, then forced_bos_token_id and forced_eos_token_id.
     *
     * @param scores    one position's logits (greedy, sampling) or log-probabilities (beam search)
     * @param sequence  the decoder start token and the tokens generated so far
     */
    void process(float[] scores, int[] sequence) {
        if (generation.repetitionPenalty() != 1.0) {
            TokenChooser.penaliseRepeats(scores, sequence, (float) generation.repetitionPenalty());
        }
        int generated = sequence.length - 1;
        int token = generated == 0 && forcedBos >= 0 ? forcedBos
                : generated == maxNewTokens() - 1 && forcedEos >= 0 ? forcedEos : -1;
        if (token >= 0) {
            java.util.Arrays.fill(scores, Float.NEGATIVE_INFINITY);
            scores[token] = 0;
        }
    }
}
