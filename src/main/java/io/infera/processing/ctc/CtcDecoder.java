package io.infera.processing.ctc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Greedy CTC decoding (speech recognisers, text-line recognisers) as transformers' Wav2Vec2CTCTokenizer does it on argmax frames: repeats
 * collapsed, the blank (pad) token dropped, the word delimiter written as a space, and each
 * character's span of frames kept for timestamps (words are runs of non-space characters).
 */
public final class CtcDecoder {

    private final String[] tokens;
    private final String blank;
    private final String wordDelimiter;
    private final String space;
    private final boolean lowerCase;

    /** A character or word and the frames [start, end) it spans. */
    public record Span(String text, int start, int end) {}

    public record Transcript(String text, List<Span> characters) {}

    /**
     * @param vocabulary    token → id (vocab.json)
     * @param blank         the CTC blank, transformers' pad token
     * @param wordDelimiter the token between words ("|")
     * @param space         what the delimiter becomes in text (" ")
     */
    public CtcDecoder(
            Map<String, Integer> vocabulary, String blank, String wordDelimiter, String space, boolean lowerCase) {
        this(byId(vocabulary), blank, wordDelimiter, space, lowerCase);
    }

    /** @param tokens the token of each id (a character list may repeat a character) */
    public CtcDecoder(String[] tokens, String blank, String wordDelimiter, String space, boolean lowerCase) {
        this.tokens = tokens.clone();
        this.blank = blank;
        this.wordDelimiter = wordDelimiter;
        this.space = space;
        this.lowerCase = lowerCase;
    }

    private static String[] byId(Map<String, Integer> vocabulary) {
        int size =
                vocabulary.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        String[] tokens = new String[size];
        vocabulary.forEach((token, id) -> tokens[id] = token);
        return tokens;
    }

    public int vocabularySize() {
        return tokens.length;
    }

    /** The transcript of one id per frame. */
    public Transcript decode(int[] ids) {
        List<Span> characters = new ArrayList<>();
        int i = 0;
        while (i < ids.length) {
            int j = i;
            while (j < ids.length && ids[j] == ids[i]) {
                j++;
            }
            String token = ids[i] >= 0 && ids[i] < tokens.length && tokens[ids[i]] != null ? tokens[ids[i]] : "";
            if (!token.equals(blank)) {
                characters.add(new Span(token.equals(wordDelimiter) ? space : token, i, j));
            }
            i = j;
        }
        StringBuilder text = new StringBuilder();
        characters.forEach(c -> text.append(c.text()));
        String string = text.toString().strip();
        return new Transcript(lowerCase ? string.toLowerCase(Locale.ROOT) : string, characters);
    }

    /** The text of a label sequence that is already collapsed (a beam search's answer): no grouping, no blanks. */
    public String text(int[] labels) {
        StringBuilder text = new StringBuilder();
        for (int id : labels) {
            String token = id >= 0 && id < tokens.length && tokens[id] != null ? tokens[id] : "";
            if (!token.equals(blank)) {
                text.append(token.equals(wordDelimiter) ? space : token);
            }
        }
        String string = text.toString().strip();
        return lowerCase ? string.toLowerCase(Locale.ROOT) : string;
    }

    /** The id of the blank, or -1. */
    public int blankId() {
        for (int i = 0; i < tokens.length; i++) {
            if (blank.equals(tokens[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Words: runs of characters between spaces, each spanning its first to its last character's frames. */
    public List<Span> words(List<Span> characters) {
        List<Span> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int start = 0;
        int end = 0;
        boolean inWord = false;
        for (Span c : characters) {
            boolean isSpace = c.text().equals(space);
            if (!isSpace && !inWord) {
                word.setLength(0);
                start = c.start();
            }
            if (!isSpace) {
                word.append(c.text());
                end = c.end();
            } else if (inWord) {
                words.add(new Span(word.toString(), start, end));
            }
            inWord = !isSpace;
        }
        if (inWord) {
            words.add(new Span(word.toString(), start, end));
        }
        return words;
    }
}
