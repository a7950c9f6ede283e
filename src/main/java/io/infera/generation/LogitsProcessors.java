package io.infera.generation;

import java.util.Arrays;

/**
 * The logits processors of transformers' {@code generate}, in its order, applied to one position's
 * scores before the choice (logits for greedy decoding and sampling, log-probabilities for beam
 * search). Each sees {@code input_ids} as generate does: the prompt and the tokens generated so
 * far for a decoder-only model, the decoder start token and the tokens generated so far for an
 * encoder-decoder. Setting a score to minus infinity bans the token.
 *
 * @param repetitionPenalty        scores of tokens already in input_ids divided (if positive) or multiplied by this; 1 for none
 * @param noRepeatNgramSize        no n-gram of this size occurs twice in input_ids; 0 for none
 * @param badWordsIds              token sequences never generated (a single token never; a longer one not after its prefix)
 * @param minLength                end tokens are banned while input_ids is shorter than this; 0 for none
 * @param minNewTokens             end tokens are banned until this many tokens are generated; 0 for none
 * @param forcedBosTokenId         the token forced at the first position (input_ids of length 1); -1 for none
 * @param forcedEosTokenIds        the tokens allowed at the last position (input_ids of max_length - 1); empty for none
 * @param decayStart               exponential_decay_length_penalty's start, counted after input_ids_seq_length; -1 for none
 * @param decayFactor              exponential_decay_length_penalty's factor: end-token scores grow by |score| x (factor^n - 1)
 * @param suppressTokens           tokens never generated
 * @param beginSuppressTokens      tokens not generated at the first generated position
 * @param timestampRules           Whisper's timestamp rules, applied last; null for none
 */
public record LogitsProcessors(
        double repetitionPenalty,
        int noRepeatNgramSize,
        int[][] badWordsIds,
        int minLength,
        int minNewTokens,
        int forcedBosTokenId,
        int[] forcedEosTokenIds,
        int decayStart,
        double decayFactor,
        int[] suppressTokens,
        int[] beginSuppressTokens,
        TimestampRules timestampRules) {

    /** No processor: the model's logits as they are. */
    public static final LogitsProcessors NONE =
            new LogitsProcessors(1.0, 0, new int[0][], 0, 0, -1, new int[0], -1, 1.0, new int[0], new int[0], null);

    public LogitsProcessors {
        badWordsIds = Arrays.stream(badWordsIds).map(int[]::clone).toArray(int[][]::new);
        forcedEosTokenIds = forcedEosTokenIds.clone();
        suppressTokens = suppressTokens.clone();
        beginSuppressTokens = beginSuppressTokens.clone();
    }

    /** The same processors with another repetition penalty. */
    public LogitsProcessors withRepetitionPenalty(double penalty) {
        return new LogitsProcessors(
                penalty,
                noRepeatNgramSize,
                badWordsIds,
                minLength,
                minNewTokens,
                forcedBosTokenId,
                forcedEosTokenIds,
                decayStart,
                decayFactor,
                suppressTokens,
                beginSuppressTokens,
                timestampRules);
    }

    /**
     * Applies the processors in generate's order.
     *
     * @param scores      one position's scores over the vocabulary; changed in place
     * @param inputIds    generate's input_ids for this row
     * @param inputLength generate's input_ids_seq_length: the prompt's length (decoder-only) or 1 (the decoder start token)
     * @param maxLength   inputLength + max_new_tokens
     * @param eos         the end-of-sequence tokens
     */
    public void apply(float[] scores, int[] inputIds, int inputLength, int maxLength, int[] eos) {
        int length = inputIds.length;
        if (repetitionPenalty != 1.0) {
            penaliseRepeats(scores, inputIds, (float) repetitionPenalty);
        }
        if (noRepeatNgramSize > 0) {
            banRepeatedNgrams(scores, inputIds, noRepeatNgramSize);
        }
        if (badWordsIds.length > 0) {
            banBadWords(scores, inputIds, eos);
        }
        if (eos.length > 0 && (length < minLength || length - inputLength < minNewTokens)) {
            ban(scores, eos);
        }
        if (forcedBosTokenId >= 0 && length == 1) {
            force(scores, new int[] {forcedBosTokenId});
        }
        if (forcedEosTokenIds.length > 0 && length == maxLength - 1) {
            force(scores, forcedEosTokenIds);
        }
        if (decayStart >= 0 && length > decayStart + inputLength) {
            float growth =
                    (float) (Math.pow(decayFactor, length - decayStart - inputLength) - 1); // float32, as torch's
            for (int token : eos) {
                if (token < scores.length) {
                    scores[token] = scores[token] + Math.abs(scores[token]) * growth;
                }
            }
        }
        ban(scores, suppressTokens);
        int beginIndex = inputLength == 1 && forcedBosTokenId >= 0 ? inputLength + 1 : inputLength;
        if (length == beginIndex) {
            ban(scores, beginSuppressTokens);
        }
        if (timestampRules != null) {
            timestampRules.apply(scores, inputIds, beginIndex);
        }
    }

    /** Each token of the context once: its score divided by the penalty if positive, multiplied if negative. */
    static void penaliseRepeats(float[] scores, int[] context, float penalty) {
        boolean[] seen = new boolean[scores.length];
        for (int token : context) {
            if (token >= 0 && token < scores.length && !seen[token]) {
                seen[token] = true;
                scores[token] = scores[token] < 0 ? scores[token] * penalty : scores[token] / penalty;
            }
        }
    }

    /** Bans every token that would complete an n-gram already in the input: one whose first n-1 tokens end the input. */
    private static void banRepeatedNgrams(float[] scores, int[] ids, int n) {
        int length = ids.length;
        if (length < n) {
            return;
        }
        int suffix = length - n + 1; // where the last n-1 tokens start
        for (int start = 0; start + n <= length; start++) {
            boolean matches = true;
            for (int k = 0; k < n - 1 && matches; k++) {
                matches = ids[start + k] == ids[suffix + k];
            }
            int next = ids[start + n - 1];
            if (matches && next >= 0 && next < scores.length) {
                scores[next] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** Single bad tokens always; a longer bad sequence's last token when the input ends with the rest (end tokens alone are kept). */
    private void banBadWords(float[] scores, int[] ids, int[] eos) {
        for (int[] bad : badWordsIds) {
            if (bad.length == 1 && contains(eos, bad[0])) {
                continue;
            }
            int prefix = bad.length - 1;
            if (prefix > ids.length) {
                continue;
            }
            boolean matches = true;
            for (int k = 0; k < prefix && matches; k++) {
                matches = ids[ids.length - prefix + k] == bad[k];
            }
            if (matches && bad[prefix] < scores.length) {
                scores[bad[prefix]] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    private static void ban(float[] scores, int[] tokens) {
        for (int token : tokens) {
            if (token >= 0 && token < scores.length) {
                scores[token] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** Only these tokens remain: score 0 for them, minus infinity for every other. */
    private static void force(float[] scores, int[] tokens) {
        Arrays.fill(scores, Float.NEGATIVE_INFINITY);
        for (int token : tokens) {
            if (token >= 0 && token < scores.length) {
                scores[token] = 0;
            }
        }
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
