package io.infera.api.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Where a stream's utterances start and end, at 1 kHz to keep the numbers small (30 ms blocks of 30 samples). */
class UtteranceBufferTest {

    private static final int RATE = 1000;

    private static float[] tone(double seconds, double level) {
        float[] out = new float[(int) Math.round(seconds * RATE)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (i % 2 == 0 ? level : -level);
        }
        return out;
    }

    private static UtteranceBuffer buffer() {
        // silence below 0.01, a pause of 0.6 s ends an utterance, at most 5 s, a partial every 0.5 s
        return new UtteranceBuffer(RATE, 0.01, 0.6, 5, 0.5);
    }

    @Test
    void silenceWaitsAndCostsNothingThenSpeechAsksForPartialsAndAPauseForTheFinal() {
        UtteranceBuffer buffer = buffer();
        assertEquals(UtteranceBuffer.Next.WAIT, buffer.add(tone(10, 0)));
        assertFalse(buffer.hasSpeech());
        assertTrue(buffer.startSeconds() > 9.5, "leading silence dropped, 0.3 s kept: " + buffer.startSeconds());
        assertEquals(UtteranceBuffer.Next.PARTIAL, buffer.add(tone(0.6, 0.5)));
        assertTrue(buffer.hasSpeech());
        assertEquals(10.6, buffer.endSeconds(), 1e-9);
        buffer.forPartial();
        assertEquals(UtteranceBuffer.Next.WAIT, buffer.add(tone(0.3, 0.5)));
        assertEquals(UtteranceBuffer.Next.FINAL, buffer.add(tone(0.7, 0)));
        double start = buffer.startSeconds();
        float[] utterance = buffer.finish();
        // the lead-in (0.3 s and up to a block more), the speech and 0.2 s of the pause
        assertEquals(1.43, utterance.length / (double) RATE, 0.031);
        assertEquals(11.6, buffer.startSeconds(), 1e-9); // the next utterance starts after all that was received
        assertTrue(start < 10.0);
    }

    @Test
    void silenceAfterAnUtteranceNeverMakesANegativeUtterance() {
        UtteranceBuffer buffer = buffer();
        buffer.add(tone(0.5, 0.5));
        buffer.add(tone(0.7, 0));
        buffer.finish();
        assertEquals(UtteranceBuffer.Next.WAIT, buffer.add(tone(20, 0)));
        int kept = buffer.finish().length; // it threw for a pause longer than the buffer
        assertTrue(kept >= 0 && kept <= 0.33 * RATE, "no speech: at most the lead-in is kept, got " + kept);
    }

    @Test
    void anUtteranceReachingItsLengthLimitEnds() {
        UtteranceBuffer buffer = buffer();
        UtteranceBuffer.Next next = UtteranceBuffer.Next.WAIT;
        for (int i = 0; i < 60 && next != UtteranceBuffer.Next.FINAL; i++) {
            next = buffer.add(tone(0.1, 0.5));
            if (next == UtteranceBuffer.Next.PARTIAL) {
                buffer.forPartial();
            }
        }
        assertEquals(UtteranceBuffer.Next.FINAL, next);
        assertEquals(5.0, buffer.finish().length / (double) RATE, 1e-9);
    }

    @Test
    void theStablePartIsWhatTwoPartialsBeginWithAlike() {
        assertEquals("four two seven", StreamSession.agreed("four two seven", "four two seven nine"));
        assertEquals("four two", StreamSession.agreed("four two seven", "four two eleven"));
        assertEquals("", StreamSession.agreed("", "four"));
        assertEquals("four", StreamSession.agreed("four tu", "four two"));
    }

    @Test
    void timesAreSentWithoutTheFloatNoiseOfSumsAndKeepEverySamplePosition() {
        assertEquals("1.6", String.valueOf(StreamSession.seconds(0.18 + 1.42)));
        assertEquals(47190 / 16000.0, StreamSession.seconds(47190 / 16000.0));
        assertEquals(12345, Math.round(StreamSession.seconds(12345 / 44100.0) * 44100));
    }
}
