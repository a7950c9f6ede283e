package io.infera.processing.ctc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * Beam search on hand-made probabilities whose best single path (greedy) and most probable label
 * sequence differ: vocabulary {blank, a, b}, two frames.
 *
 * <pre>
 * frame 1: blank 0.40  a 0.35  b 0.25
 * frame 2: blank 0.40  a 0.35  b 0.25
 * </pre>
 *
 * The best path is (blank, blank) with 0.16, so greedy says "". The sequence "a" collects
 * (a, a) + (a, blank) + (blank, a) = 0.1225 + 0.14 + 0.14 = 0.4025, more than "" (0.16).
 */
class CtcBeamSearchTest {

    private static float[] logits(double... probabilities) {
        float[] out = new float[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.log(probabilities[i]);
        }
        return out;
    }

    @Test
    void findsTheSequenceThatGreedyMisses() {
        float[] frames = logits(0.40, 0.35, 0.25, 0.40, 0.35, 0.25);
        assertArrayEquals(new int[] {1}, new CtcBeamSearch(4, 0).decode(frames, 2, 3));
        // Greedy on the same frames: blank, blank -> nothing.
        CtcDecoder greedy = new CtcDecoder(java.util.Map.of("<pad>", 0, "a", 1, "b", 2), "<pad>", "|", " ", false);
        assertArrayEquals(
                new Object[0], greedy.decode(new int[] {0, 0}).characters().toArray());
    }

    @Test
    void repeatsNeedABlankBetweenThem() {
        // "aa" needs a, blank, a; with three frames strongly a / blank / a the answer is two a's, and a, a, a is one.
        assertArrayEquals(
                new int[] {1, 1},
                new CtcBeamSearch(8, 0).decode(logits(0.05, 0.9, 0.05, 0.9, 0.05, 0.05, 0.05, 0.9, 0.05), 3, 3));
        assertArrayEquals(
                new int[] {1},
                new CtcBeamSearch(8, 0).decode(logits(0.05, 0.9, 0.05, 0.05, 0.9, 0.05, 0.05, 0.9, 0.05), 3, 3));
    }

    @Test
    void aBeamOfOneIsStillABeam() {
        assertArrayEquals(new int[] {2}, new CtcBeamSearch(1, 0).decode(logits(0.1, 0.1, 0.8), 1, 3));
    }
}
