package io.infera.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The next-token choice: transformers' repetition penalty, greedy ties, top-k, top-p and seeded sampling. */
class TokenChooserTest {

    private static GenerationSettings greedy(double penalty) {
        return new GenerationSettings(
                10,
                false,
                1,
                0,
                1,
                OptionalLong.empty(),
                new int[0],
                LogitsProcessors.NONE.withRepetitionPenalty(penalty));
    }

    private static GenerationSettings sampling(double temperature, int topK, double topP) {
        return new GenerationSettings(
                10, true, temperature, topK, topP, OptionalLong.of(1), new int[0], LogitsProcessors.NONE);
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOncePerToken() {
        float[] logits = {2f, -2f, 1f, 3f};
        LogitsProcessors.penaliseRepeats(logits, new int[] {0, 1, 1, 0}, 2f);
        assertArrayEquals(new float[] {1f, -4f, 1f, 3f}, logits);
    }

    @Test
    void greedyTakesTheFirstOfEqualMaxima() {
        assertEquals(
                1,
                TokenChooser.choose(new float[] {0f, 5f, 5f, 1f}, new int[0], 0, greedy(1), new SplittableRandom(1)));
        // the penalty can change the winner: 5/2 < 3
        assertEquals(
                3,
                TokenChooser.choose(
                        new float[] {0f, 5f, 2f, 3f}, new int[] {1}, 0, greedy(2), new SplittableRandom(1)));
    }

    @Test
    void topKOfOneAndATinyTopPAreGreedy() {
        float[] logits = {0.1f, 2f, 1.9f, -1f};
        for (int seed = 0; seed < 50; seed++) {
            assertEquals(
                    1,
                    TokenChooser.choose(logits.clone(), new int[0], 0, sampling(1, 1, 1), new SplittableRandom(seed)));
            assertEquals(
                    1,
                    TokenChooser.choose(
                            logits.clone(), new int[0], 0, sampling(1, 0, 0.01), new SplittableRandom(seed)));
        }
    }

    @Test
    void samplingFollowsTheSoftmaxAndTopKCutsTheTail() {
        float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};
        int[] counts = new int[3];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            counts[TokenChooser.choose(logits.clone(), new int[0], 0, sampling(1, 0, 1), random)]++;
        }
        assertEquals(0.5, counts[0] / 20_000.0, 0.02);
        assertEquals(0.3, counts[1] / 20_000.0, 0.02);
        int[] topTwo = new int[3];
        for (int i = 0; i < 20_000; i++) {
            topTwo[TokenChooser.choose(logits.clone(), new int[0], 0, sampling(1, 2, 1), random)]++;
        }
        assertEquals(0, topTwo[2]);
        assertEquals(0.5 / 0.8, topTwo[0] / 20_000.0, 0.02);
        // top_p 0.7: 0.5 alone is short of it, 0.5 + 0.3 reaches it; the 0.2 token is cut
        int[] nucleus = new int[3];
        for (int i = 0; i < 5_000; i++) {
            nucleus[TokenChooser.choose(logits.clone(), new int[0], 0, sampling(1, 0, 0.7), random)]++;
        }
        assertEquals(0, nucleus[2]);
        assertTrue(nucleus[1] > 0);
    }

    @Test
    void theSameSeedDrawsTheSameTokens() {
        float[] logits = new float[100];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.sin(i);
        }
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        for (int i = 0; i < 100; i++) {
            assertEquals(
                    TokenChooser.choose(logits.clone(), new int[0], 0, sampling(1.3, 0, 0.95), a),
                    TokenChooser.choose(logits.clone(), new int[0], 0, sampling(1.3, 0, 0.95), b));
        }
    }
}
