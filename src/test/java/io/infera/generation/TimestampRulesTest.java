package io.infera.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Whisper's timestamp rules on a vocabulary of 10 text tokens, the end token (10), no-timestamps
 * (11) and 8 timestamps (12-19), after a prompt of two tokens.
 */
class TimestampRulesTest {

    private static final TimestampRules RULES = new TimestampRules(11, 10, 3);
    private static final int[] PROMPT = {10, 10};

    private static float[] scores(int[] generated) {
        float[] scores = new float[20];
        Arrays.fill(scores, 1f);
        scores[5] = 6f; // one text token and the end far likelier than any timestamp
        scores[10] = 6f;
        int[] ids = Arrays.copyOf(PROMPT, PROMPT.length + generated.length);
        System.arraycopy(generated, 0, ids, PROMPT.length, generated.length);
        RULES.apply(scores, ids, PROMPT.length);
        return scores;
    }

    private static boolean banned(float[] scores, int from, int to) {
        for (int i = from; i < to; i++) {
            if (scores[i] != Float.NEGATIVE_INFINITY) {
                return false;
            }
        }
        return true;
    }

    @Test
    void theFirstTokenIsAnEarlyTimestamp() {
        float[] first = scores(new int[0]);
        assertTrue(banned(first, 0, 12), "text, the end and no-timestamps are banned first");
        assertTrue(banned(first, 16, 20), "timestamps after max_initial_timestamp_index are banned");
        assertEquals(1f, first[15]);
    }

    @Test
    void aSingleTimestampAfterTextIsFollowedByATimestampOrTheEnd() {
        float[] afterSingle = scores(new int[] {12, 3, 14});
        assertTrue(banned(afterSingle, 0, 10), "no text after a single timestamp");
        assertEquals(6f, afterSingle[10], "the end may follow");
        assertTrue(banned(afterSingle, 12, 14), "times never go back");
        assertEquals(1f, afterSingle[14], "the pair may repeat the time");
    }

    @Test
    void aPairIsFollowedByText() {
        float[] afterPair = scores(new int[] {12, 3, 14, 14});
        assertTrue(banned(afterPair, 12, 20), "no timestamp after a pair");
        assertEquals(6f, afterPair[5]);
    }

    @Test
    void timestampsTogetherLikelierThanAnyTextWin() {
        float[] scores = new float[20];
        Arrays.fill(scores, 2f);
        scores[5] = 3f; // e^3 < 8 e^2: the timestamps together outweigh it
        RULES.apply(scores, new int[] {10, 10, 12, 3}, 2);
        assertTrue(banned(scores, 0, 12), "text banned where the timestamps are likelier together");
        assertEquals(Float.NEGATIVE_INFINITY, scores[12], "and times never go back");
        assertEquals(2f, scores[13]);
    }
}
