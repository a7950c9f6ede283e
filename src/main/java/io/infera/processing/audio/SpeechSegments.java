package io.infera.processing.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * Speech segments from a voice activity model's per-chunk speech probabilities, as Silero VAD's
 * {@code get_speech_timestamps} (silero-vad 5.1) finds them: speech starts at the first chunk at
 * or above {@code threshold} and ends after {@code minSilence} of chunks below {@code
 * negThreshold}; segments shorter than {@code minSpeech} are dropped, longer than {@code
 * maxSpeech} are cut (at the last silence of at least 98 ms inside, else where the limit falls);
 * finally each is padded by {@code speechPad} on both sides, neighbours closer than two pads
 * meeting halfway. Positions are samples.
 *
 * @param threshold    probability at or above which a chunk is speech
 * @param negThreshold probability below which a chunk is silence (between the two, speech goes on)
 * @param minSpeech    the shortest segment kept, in samples (exclusive)
 * @param maxSpeech    the longest segment, in seconds (infinite for no limit)
 * @param minSilence   the silence that ends a segment, in samples
 * @param speechPad    what each segment is widened by on both sides, in samples
 */
public record SpeechSegments(
        double threshold,
        double negThreshold,
        double minSpeech,
        double maxSpeech,
        double minSilence,
        double speechPad) {

    /** One segment, [start, end) in samples. */
    public record Segment(int start, int end) {}

    /**
     * Settings from milliseconds and seconds at this sampling rate, Silero's way (fractional
     * sample counts kept, as its comparisons use them).
     *
     * @param negThreshold NaN for Silero's default, threshold - 0.15 (at least 0.01)
     */
    public static SpeechSegments of(
            int samplingRate,
            double threshold,
            double negThreshold,
            double minSpeechMs,
            double maxSpeechSeconds,
            double minSilenceMs,
            double speechPadMs) {
        return new SpeechSegments(
                threshold,
                Double.isNaN(negThreshold) ? Math.max(threshold - 0.15, 0.01) : negThreshold,
                samplingRate * minSpeechMs / 1000,
                maxSpeechSeconds,
                samplingRate * minSilenceMs / 1000,
                samplingRate * speechPadMs / 1000);
    }

    /**
     * The segments of a clip of {@code length} samples whose chunk {@code i} (of {@code window}
     * samples, from sample {@code i * window}) has speech probability {@code probabilities[i]}.
     */
    public List<Segment> find(float[] probabilities, int length, int window, int samplingRate) {
        return pad(detect(probabilities, length, window, samplingRate), length);
    }

    /** Where speech is, before padding: Silero's state machine over the chunks. */
    private List<int[]> detect(float[] probabilities, int length, int window, int samplingRate) {
        double maxSpeechSamples = samplingRate * maxSpeech - window - 2 * speechPad;
        double minSilenceAtMaxSpeech = samplingRate * 98 / 1000.0;
        List<int[]> speeches = new ArrayList<>();
        int[] current = null;
        boolean triggered = false;
        int tempEnd = 0;
        int prevEnd = 0;
        int nextStart = 0;
        for (int i = 0; i < probabilities.length; i++) {
            double p = probabilities[i];
            int at = window * i;
            if (p >= threshold && tempEnd != 0) {
                tempEnd = 0;
                if (nextStart < prevEnd) {
                    nextStart = at;
                }
            }
            if (p >= threshold && !triggered) {
                triggered = true;
                current = new int[] {at, 0};
                continue;
            }
            if (triggered && at - current[0] > maxSpeechSamples) {
                if (prevEnd != 0) {
                    current[1] = prevEnd;
                    speeches.add(current);
                    if (nextStart < prevEnd) {
                        // silence reached and no speech since: the segment ends here
                        current = null;
                        triggered = false;
                    } else {
                        current = new int[] {nextStart, 0};
                    }
                    prevEnd = 0;
                    nextStart = 0;
                    tempEnd = 0;
                } else {
                    current[1] = at;
                    speeches.add(current);
                    current = null;
                    prevEnd = 0;
                    nextStart = 0;
                    tempEnd = 0;
                    triggered = false;
                    continue;
                }
            }
            if (p < negThreshold && triggered) {
                if (tempEnd == 0) {
                    tempEnd = at;
                }
                if (at - tempEnd > minSilenceAtMaxSpeech) {
                    prevEnd = tempEnd;
                }
                if (at - tempEnd < minSilence) {
                    continue;
                }
                current[1] = tempEnd;
                if (current[1] - current[0] > minSpeech) {
                    speeches.add(current);
                }
                current = null;
                prevEnd = 0;
                nextStart = 0;
                tempEnd = 0;
                triggered = false;
            }
        }
        if (current != null && length - current[0] > minSpeech) {
            current[1] = length;
            speeches.add(current);
        }
        return speeches;
    }

    /** Widens each segment by the pad, meeting a neighbour halfway where the gap is under two pads. */
    private List<Segment> pad(List<int[]> speeches, int length) {
        for (int i = 0; i < speeches.size(); i++) {
            int[] speech = speeches.get(i);
            if (i == 0) {
                speech[0] = (int) Math.max(0, speech[0] - speechPad);
            }
            if (i != speeches.size() - 1) {
                int[] next = speeches.get(i + 1);
                int silence = next[0] - speech[1];
                if (silence < 2 * speechPad) {
                    speech[1] += Math.floorDiv(silence, 2);
                    next[0] = Math.max(0, next[0] - Math.floorDiv(silence, 2));
                } else {
                    speech[1] = (int) Math.min(length, speech[1] + speechPad);
                    next[0] = (int) Math.max(0, next[0] - speechPad);
                }
            } else {
                speech[1] = (int) Math.min(length, speech[1] + speechPad);
            }
        }
        return speeches.stream().map(s -> new Segment(s[0], s[1])).toList();
    }
}
