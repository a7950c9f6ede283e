package io.infera.generation;

import java.util.OptionalLong;

/**
 * How one sequence is continued, with the transformers {@code generate} meanings.
 *
 * @param maxNewTokens the most tokens generated after the prompt
 * @param doSample     sample from the distribution (else greedy: the most likely token)
 * @param temperature  logits divided by this before sampling
 * @param topK         sample among the k most likely tokens; 0 for all
 * @param topP         sample among the most likely tokens whose probabilities add up to p; 1 for all
 * @param seed         the sampler's seed; absent draws one
 * @param eosTokenIds  tokens that end the sequence
 * @param processors   what changes the scores before the choice (repetition penalty, banned n-grams, forced tokens ...)
 */
public record GenerationSettings(
        int maxNewTokens,
        boolean doSample,
        double temperature,
        int topK,
        double topP,
        OptionalLong seed,
        int[] eosTokenIds,
        LogitsProcessors processors) {

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

    /** The same settings with another token limit. */
    public GenerationSettings withMaxNewTokens(int tokens) {
        return new GenerationSettings(tokens, doSample, temperature, topK, topP, seed, eosTokenIds, processors);
    }

    /** The same settings with another seed (each of several sequences drawn for one prompt has its own). */
    public GenerationSettings withSeed(OptionalLong other) {
        return new GenerationSettings(maxNewTokens, doSample, temperature, topK, topP, other, eosTokenIds, processors);
    }

    /**
     * Applies the processors to one position's scores.
     *
     * @param inputIds    generate's input_ids: the prompt (or decoder start token) and the tokens generated so far
     * @param inputLength the prompt's length, or 1 for an encoder-decoder's start token
     */
    void process(float[] scores, int[] inputIds, int inputLength) {
        processors.apply(scores, inputIds, inputLength, inputLength + maxNewTokens, eosTokenIds);
    }
}
