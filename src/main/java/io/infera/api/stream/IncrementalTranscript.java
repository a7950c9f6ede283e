package io.infera.api.stream;

import io.infera.tasks.speechrecognition.SpeechRecognitionTask;
import java.util.List;

/**
 * A CTC model's partial texts of one utterance, built frame-synchronously: each partial decodes
 * only the audio after the commit point's look-back (left context for the model) up to the end
 * received, and its characters are taken by where they start: before the commit point, already
 * committed (skipped); up to the right context before the end, committed now, never decoded into
 * text again; the rest, tentative (the next partial decodes them with more right context). So a
 * partial costs the look-back and the audio since the last one, however long the utterance grows,
 * and its committed text only grows. Times are seconds from the utterance's start.
 */
final class IncrementalTranscript {

    /** A partial text: all of it, and the committed part it begins with. */
    record Partial(String text, String stable) {}

    private final double lookBackSeconds;
    private final double rightContextSeconds;
    private final StringBuilder committed = new StringBuilder();
    private double committedUntil;

    /**
     * @param lookBackSeconds     audio before the commit point each decode takes as left context
     * @param rightContextSeconds audio at the end each decode leaves tentative (the model has not heard what follows it)
     */
    IncrementalTranscript(double lookBackSeconds, double rightContextSeconds) {
        this.lookBackSeconds = lookBackSeconds;
        this.rightContextSeconds = rightContextSeconds;
    }

    /** Where the next partial's audio starts. */
    double windowStart() {
        return Math.max(0, committedUntil - lookBackSeconds);
    }

    /**
     * Takes a decode's characters and returns the partial text.
     *
     * @param characters  the window's characters with their times from the window's start
     * @param windowStart where the window starts
     * @param end         where the audio received ends
     */
    Partial take(List<SpeechRecognitionTask.Piece> characters, double windowStart, double end) {
        double boundary = Math.max(committedUntil, end - rightContextSeconds);
        StringBuilder tentative = new StringBuilder();
        for (SpeechRecognitionTask.Piece character : characters) {
            double start = windowStart + character.timestamp()[0];
            if (start < committedUntil) {
                continue;
            }
            (start < boundary ? committed : tentative).append(character.text());
        }
        committedUntil = boundary;
        String stable = committed.toString().strip();
        return new Partial((committed + tentative.toString()).strip(), stable);
    }
}
