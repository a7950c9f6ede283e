package io.infera.api.stream;

import java.util.Arrays;

/**
 * The audio of a stream's current utterance and where it stands: blocks of 30 ms are speech when
 * their root-mean-square level reaches the silence level; before speech, only the last 0.3 s of
 * silence is kept (as left context); after speech, a pause of {@code pauseSeconds} ends the
 * utterance, as does reaching {@code maxSeconds}. Positions are samples at the client's rate.
 */
final class UtteranceBuffer {

    /** What the audio received so far asks for. */
    enum Next {
        /** Nothing yet. */
        WAIT,
        /** Enough new speech for a partial text. */
        PARTIAL,
        /** The utterance ended (a pause, or its length limit): its final text. */
        FINAL
    }

    private final int rate;
    private final int block;
    private final double silenceLevel;
    private final int pause;
    private final int maxLength;
    private final int partialStep;
    private final int leadIn;

    private float[] samples = new float[0];
    private int length;
    private int scanned;
    private long start; // the utterance's first sample, counted from the stream's start
    private boolean speech;
    private int trailingSilence;
    private int sinceLastPartial;

    UtteranceBuffer(int rate, double silenceLevel, double pauseSeconds, double maxSeconds, double partialSeconds) {
        this.rate = rate;
        this.block = Math.max(1, rate * 30 / 1000);
        this.silenceLevel = silenceLevel;
        this.pause = (int) Math.round(pauseSeconds * rate);
        this.maxLength = (int) Math.round(maxSeconds * rate);
        this.partialStep = Math.max(1, (int) Math.round(partialSeconds * rate));
        this.leadIn = rate * 3 / 10;
    }

    /** Adds received samples; says whether they call for a partial or the final text. */
    Next add(float[] received) {
        if (length + received.length > samples.length) {
            samples = Arrays.copyOf(samples, Math.max(length + received.length, samples.length * 2));
        }
        System.arraycopy(received, 0, samples, length, received.length);
        length += received.length;
        sinceLastPartial += received.length;
        while (length - scanned >= block) {
            double energy = 0;
            for (int i = scanned; i < scanned + block; i++) {
                energy += samples[i] * (double) samples[i];
            }
            boolean loud = Math.sqrt(energy / block) >= silenceLevel;
            scanned += block;
            if (loud) {
                speech = true;
                trailingSilence = 0;
            } else {
                trailingSilence += block;
            }
        }
        if (!speech) {
            dropLeadingSilence();
            return Next.WAIT;
        }
        if (trailingSilence >= pause || length >= maxLength) {
            return Next.FINAL;
        }
        return sinceLastPartial >= partialStep ? Next.PARTIAL : Next.WAIT;
    }

    /** Before any speech, only the lead-in is kept, so that silence costs nothing. */
    private void dropLeadingSilence() {
        int drop = length - leadIn;
        if (drop > block) {
            drop -= drop % block;
            System.arraycopy(samples, drop, samples, 0, length - drop);
            length -= drop;
            scanned -= drop;
            start += drop;
            trailingSilence = Math.min(trailingSilence, length);
        }
    }

    /** Whether the utterance has speech in it. */
    boolean hasSpeech() {
        return speech;
    }

    /** The utterance's audio so far, for a partial text; the partial step starts again. */
    float[] forPartial() {
        return forPartialFrom(0);
    }

    /** The utterance's audio from this many seconds into it, for a partial text; the partial step starts again. */
    float[] forPartialFrom(double seconds) {
        sinceLastPartial = 0;
        int from = Math.min(length, (int) Math.round(seconds * rate));
        return Arrays.copyOfRange(samples, from, length);
    }

    /** The utterance's last this-many seconds of audio (all of it when shorter). */
    float[] tail(double seconds) {
        int from = Math.max(0, length - (int) Math.round(seconds * rate));
        return Arrays.copyOfRange(samples, from, length);
    }

    /** Whether the utterance reached its longest. */
    boolean full() {
        return length >= maxLength;
    }

    /** The utterance's length so far, in seconds. */
    double lengthSeconds() {
        return length / (double) rate;
    }

    /** Where the utterance starts, in seconds from the start of the stream. */
    double startSeconds() {
        return start / (double) rate;
    }

    /** Where the audio received ends, in seconds from the start of the stream. */
    double endSeconds() {
        return (start + length) / (double) rate;
    }

    /**
     * Ends the utterance: its audio (the pause after it left out, save 0.2 s); the buffer then
     * starts the next one after it.
     */
    float[] finish() {
        int keep = Math.max(0, Math.min(length, length - trailingSilence + rate / 5));
        float[] utterance = Arrays.copyOf(samples, keep);
        start += length;
        samples = new float[0];
        length = 0;
        scanned = 0;
        speech = false;
        trailingSilence = 0;
        sinceLastPartial = 0;
        return utterance;
    }
}
