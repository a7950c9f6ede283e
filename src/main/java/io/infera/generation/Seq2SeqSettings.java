package io.infera.generation;

/**
 * How an encoder-decoder model continues, with the transformers {@code generate} meanings.
 *
 * @param maxNewTokens   the most tokens generated
 * @param numBeams       1 for greedy decoding, more for beam search
 * @param lengthPenalty  beam scores are divided by length^lengthPenalty
 * @param earlyStopping  when beam search stops
 * @param decoderStart   the token the decoder starts from
 * @param eosTokenIds    tokens that end a sequence
 * @param forcedBos      the token forced first, or -1
 * @param forcedEos      the token forced at the last position, or -1
 */
public record Seq2SeqSettings(int maxNewTokens, int numBeams, double lengthPenalty, EarlyStopping earlyStopping,
                             int decoderStart, int[] eosTokenIds, int forcedBos, int forcedEos) {

    /** transformers' early_stopping: true, false (its heuristic) or "never". */
    public enum EarlyStopping { TRUE, FALSE, NEVER }

    boolean isEos(int token) {
        for (int eos : eosTokenIds) {
            if (eos == token) {
                return true;
            }
        }
        return false;
    }

    /** forced_bos_token_id and forced_eos_token_id on one position's scores (logits or log-probabilities). */
    void force(float[] scores, int generatedSoFar) {
        int token = generatedSoFar == 0 && forcedBos >= 0 ? forcedBos
                : generatedSoFar == maxNewTokens - 1 && forcedEos >= 0 ? forcedEos : -1;
        if (token >= 0) {
            java.util.Arrays.fill(scores, Float.NEGATIVE_INFINITY);
            scores[token] = 0;
        }
    }
}
