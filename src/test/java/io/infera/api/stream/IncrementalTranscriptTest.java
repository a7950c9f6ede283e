package io.infera.api.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infera.tasks.speechrecognition.SpeechRecognitionTask.Piece;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Characters are committed once, by where they start; the window follows the commit point. */
class IncrementalTranscriptTest {

    /** Characters of a text, one every 0.125 s from a time. */
    private static List<Piece> characters(String text, double from) {
        List<Piece> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            double start = from + i * 0.125;
            out.add(new Piece(String.valueOf(text.charAt(i)), new Double[] {start, start + 0.0625}));
        }
        return out;
    }

    @Test
    void charactersAreCommittedOnceByWhereTheyStart() {
        IncrementalTranscript transcript = new IncrementalTranscript(1.0, 0.25);
        assertEquals(0.0, transcript.windowStart());
        // 1 s of audio: characters from 0 to 0.875; those before 0.75 are committed
        IncrementalTranscript.Partial first = transcript.take(characters("abcdefgh", 0), 0, 1.0);
        assertEquals("abcdefgh", first.text());
        assertEquals("abcdef", first.stable());
        assertEquals(0.0, transcript.windowStart());
        // 1.5 s: what the window hears again before 0.75 is not committed again
        IncrementalTranscript.Partial second = transcript.take(characters("abcdefghijkl", 0), 0, 1.5);
        assertEquals("abcdefghijkl", second.text());
        assertEquals("abcdefghij", second.stable());
        assertEquals(0.25, transcript.windowStart());
        // 2 s, decoding from 0.25: its times are moved by it; j (1.125) was committed before
        IncrementalTranscript.Partial third = transcript.take(characters("jklmno", 0.875), 0.25, 2.0);
        assertEquals("abcdefghijklmn", third.stable());
        assertEquals("abcdefghijklmno", third.text());
        assertEquals(0.75, transcript.windowStart());
    }
}
