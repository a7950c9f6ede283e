package io.infera.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.tasks.speechrecognition.SpeechRecognitionTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A transcription in the shapes of OpenAI's {@code response_format}: {@code json} ({@code {text}}),
 * {@code text}, {@code verbose_json} (duration, text, and the {@code segments} and {@code words}
 * the request's {@code timestamp_granularities} ask for), {@code srt} and {@code vtt} (one cue per
 * segment). A speech model with word times (CTC) gives the words; segments are runs of words broken
 * at a pause of {@value #PAUSE_SECONDS} s or more, or after {@value #MAX_WORDS} words. A
 * Whisper-style model gives the segments (its timestamped chunks; the last one's missing end is
 * the clip's end). Only what the model gives is written: a segment has its id, start, end and
 * text, not the log-probabilities and compression ratio OpenAI's Whisper service reports.
 *
 * @param text     the whole text
 * @param words    each word with its start and end, in seconds (a model with word times)
 * @param given    the segments the model gave (a Whisper-style model), empty for none
 * @param duration the clip's length in seconds
 */
record Transcript(String text, List<Word> words, List<Segment> given, double duration) {

    static final double PAUSE_SECONDS = 0.8;
    static final int MAX_WORDS = 30;

    record Word(String word, double start, double end) {}

    record Segment(int id, double start, double end, String text) {}

    /** A CTC model's answer: its chunks are words. */
    static Transcript ofWords(SpeechRecognitionTask.Answer answer) {
        List<Word> words = new ArrayList<>();
        if (answer.chunks() != null) {
            for (SpeechRecognitionTask.Piece piece : answer.chunks()) {
                words.add(new Word(piece.text(), piece.timestamp()[0], piece.timestamp()[1]));
            }
        }
        return new Transcript(answer.text().strip(), words, List.of(), answer.seconds());
    }

    /** A Whisper-style model's answer: its chunks are segments (those with text). */
    static Transcript ofSegments(SpeechRecognitionTask.Answer answer) {
        List<Segment> segments = new ArrayList<>();
        double end = 0;
        if (answer.chunks() != null) {
            for (SpeechRecognitionTask.Piece piece : answer.chunks()) {
                Double[] time = piece.timestamp();
                double start = time[0] != null ? time[0] : end;
                end = time[1] != null ? time[1] : Math.max(start, answer.seconds());
                if (!piece.text().isBlank()) {
                    segments.add(new Segment(
                            segments.size(), start, end, piece.text().strip()));
                }
            }
        }
        // OpenAI answers the text without the leading space a Whisper decoder writes
        return new Transcript(answer.text().strip(), List.of(), segments, answer.seconds());
    }

    List<Segment> segments() {
        if (!given.isEmpty()) {
            return given;
        }
        List<Segment> segments = new ArrayList<>();
        List<Word> run = new ArrayList<>();
        for (Word word : words) {
            if (!run.isEmpty() && (word.start() - run.getLast().end() >= PAUSE_SECONDS || run.size() >= MAX_WORDS)) {
                segments.add(segment(segments.size(), run));
                run = new ArrayList<>();
            }
            run.add(word);
        }
        if (!run.isEmpty()) {
            segments.add(segment(segments.size(), run));
        }
        if (segments.isEmpty() && !text.isBlank()) {
            segments.add(new Segment(0, 0, duration, text.strip())); // a model without word times: one segment
        }
        return segments;
    }

    private static Segment segment(int id, List<Word> run) {
        StringBuilder text = new StringBuilder();
        for (Word word : run) {
            text.append(text.isEmpty() ? "" : " ").append(word.word());
        }
        return new Segment(id, run.getFirst().start(), run.getLast().end(), text.toString());
    }

    ObjectNode verboseJson(ObjectMapper json, String task, boolean withSegments, boolean withWords) {
        ObjectNode body = json.createObjectNode();
        body.put("task", task);
        body.put("duration", round(duration));
        body.put("text", text);
        if (withSegments) {
            ArrayNode list = body.putArray("segments");
            for (Segment s : segments()) {
                list.addObject()
                        .put("id", s.id())
                        .put("seek", 0)
                        .put("start", round(s.start()))
                        .put("end", round(s.end()))
                        .put("text", s.text());
            }
        }
        if (withWords) {
            ArrayNode list = body.putArray("words");
            for (Word w : words) {
                list.addObject()
                        .put("word", w.word())
                        .put("start", round(w.start()))
                        .put("end", round(w.end()));
            }
        }
        return body;
    }

    String srt() {
        StringBuilder out = new StringBuilder();
        for (Segment s : segments()) {
            out.append(s.id() + 1)
                    .append('\n')
                    .append(clock(s.start(), ','))
                    .append(" --> ")
                    .append(clock(s.end(), ','))
                    .append('\n')
                    .append(s.text())
                    .append("\n\n");
        }
        return out.toString();
    }

    String vtt() {
        StringBuilder out = new StringBuilder("WEBVTT\n\n");
        for (Segment s : segments()) {
            out.append(clock(s.start(), '.'))
                    .append(" --> ")
                    .append(clock(s.end(), '.'))
                    .append('\n')
                    .append(s.text())
                    .append("\n\n");
        }
        return out.toString();
    }

    /** hh:mm:ss,mmm (SubRip) or hh:mm:ss.mmm (WebVTT). */
    static String clock(double seconds, char separator) {
        long millis = Math.round(seconds * 1000);
        return String.format(
                Locale.ROOT,
                "%02d:%02d:%02d%c%03d",
                millis / 3_600_000,
                millis / 60_000 % 60,
                millis / 1000 % 60,
                separator,
                millis % 1000);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
