package io.infera.generation;

import java.util.OptionalLong;

/**
 * How one sequence is continued, with the transformers {@code generate} meanings.
 *
 * @param maxNewTokens      the most tokens generated after the prompt
 * @param doSample          sample from the distribution (else greedy: the most likely token)
 * @param temperature       logits divided by this before sampling
 * @param topK              sample among the k most likely tokens; 0 for all
 * @param topP              sample among the most likely tokens whose probabilities add up to p; 1 for all
 * @param repetitionPenalty logits of tokens already in the sequence divided (if positive) or multiplied by this; 1 for none
 * @param seed              the sampler's seed; absent draws one
 * @param eosTokenIds       tokens that end the sequence
 */
public record GenerationSettings(int maxNewTokens, boolean doSample, double temperature, int topK, double topP,
                                 double repetitionPenalty, OptionalLong seed, int[] eosTokenIds) {

    public GenerationSettings {
        eosTokenIds = eosTokenIds.clone();
    }

    public boolean isEos(int token) {
        for (int eos : eosTokenIds) {
            if (eos == token) {
                return true;
            }
        }
        return false;
    }
}
