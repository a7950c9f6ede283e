package io.infera.generation;

import java.util.Arrays;

/**
 * Whisper's timestamp rules (transformers' {@code WhisperTimeStampLogitsProcessor}), the last
 * processor applied: no-timestamps is never chosen; timestamps come in pairs (after a pair, text;
 * after a single timestamp, another timestamp or the end, never text); timestamps never go back;
 * the first generated token is a timestamp no later than {@code maxInitialTimestampIndex}; and
 * where the timestamps together are likelier than the likeliest text token, a timestamp is chosen.
 *
 * @param noTimestamps             the no-timestamps token
 * @param eos                      the end token; every token below it is text
 * @param maxInitialTimestampIndex the latest first timestamp, counted in timestamp tokens; -1 for any
 */
public record TimestampRules(int noTimestamps, int eos, int maxInitialTimestampIndex) {

    /** The first timestamp token (<|0.00|>): it and every token after it are times. */
    public int timestampBegin() {
        return noTimestamps + 1;
    }

    /**
     * Applies the rules to one row's scores.
     *
     * @param inputIds   the decoder's tokens so far: the prompt, then the generated tokens
     * @param beginIndex the prompt's length: where the generated tokens start
     */
    void apply(float[] scores, int[] inputIds, int beginIndex) {
        int begin = timestampBegin();
        int vocabulary = scores.length;
        if (noTimestamps < vocabulary) {
            scores[noTimestamps] = Float.NEGATIVE_INFINITY;
        }
        int generated = inputIds.length - beginIndex;
        boolean lastWasTimestamp = generated >= 1 && inputIds[inputIds.length - 1] >= begin;
        boolean penultimateWasTimestamp = generated < 2 || inputIds[inputIds.length - 2] >= begin;
        if (lastWasTimestamp) {
            if (penultimateWasTimestamp) {
                fill(scores, begin, vocabulary); // after a pair: text
            } else {
                fill(scores, 0, eos); // after a single timestamp: not text
            }
        }
        int lastTimestamp = -1;
        for (int i = beginIndex; i < inputIds.length; i++) {
            if (inputIds[i] >= begin) {
                lastTimestamp = inputIds[i];
            }
        }
        if (lastTimestamp >= 0) {
            // a pair's second timestamp may repeat the first; otherwise times only move forward
            int earliest = lastWasTimestamp && !penultimateWasTimestamp ? lastTimestamp : lastTimestamp + 1;
            fill(scores, begin, earliest);
        }
        if (generated == 0) {
            fill(scores, 0, begin);
            if (maxInitialTimestampIndex >= 0) {
                fill(scores, begin + maxInitialTimestampIndex + 1, vocabulary);
            }
        }
        if (timestampsLikelier(scores, begin)) {
            fill(scores, 0, begin);
        }
    }

    /** Whether the timestamps' probabilities together exceed the likeliest other token's. */
    private static boolean timestampsLikelier(float[] scores, int begin) {
        double max = Double.NEGATIVE_INFINITY;
        for (float score : scores) {
            max = Math.max(max, score);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return false;
        }
        double timestamps = 0;
        double textMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < scores.length; i++) {
            if (i >= begin) {
                timestamps += Math.exp(scores[i] - max);
            } else {
                textMax = Math.max(textMax, scores[i]);
            }
        }
        // log-softmax of both sides shares the normaliser: compare log(sum exp) with the text maximum
        return timestamps > 0 && Math.log(timestamps) + max > textMax;
    }

    private static void fill(float[] scores, int from, int to) {
        int start = Math.max(0, from);
        int end = Math.min(scores.length, to);
        if (start < end) {
            Arrays.fill(scores, start, end, Float.NEGATIVE_INFINITY);
        }
    }
}
