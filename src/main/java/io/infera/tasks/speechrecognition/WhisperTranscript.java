package io.infera.tasks.speechrecognition;

import io.infera.processing.text.Tokenizer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Whisper-style model's tokens turned into the pipeline's answer, as transformers' Whisper
 * tokenizer does for the speech recognition pipeline ({@code _decode_asr}, 4.57): the text tokens
 * of each piece of audio (a clip, or the chunks of a long one with their strides), chunks split at
 * timestamp pairs with their start and end in seconds (the end null where the model gave no
 * closing timestamp), timestamps inside a chunk's strides held back until both strides are left,
 * and the text of overlapping chunks joined where their tokens agree (the longest common run).
 *
 * <p>Times follow the tokens as the pipeline reads them: a timestamp lower than the one before
 * starts a new 30 s window, whose times are moved by the last pair's time (or by 30 s after a
 * window that ended with a single timestamp).
 */
final class WhisperTranscript {

    /** Encoder positions per window: a timestamp of a window that ended alone moves the next by this many. */
    private static final int SEGMENT_POSITIONS = 1500;

    private final Tokenizer tokenizer;
    private final int firstSpecial;
    private final int timestampBegin;
    private final double timePrecision;
    private final Set<Integer> languages;

    /**
     * @param firstSpecial   the first control token (the end of text); control tokens run up to the timestamps
     * @param timestampBegin the first timestamp token
     * @param timePrecision  seconds per timestamp step (the window over its encoder positions: 0.02)
     * @param languages      the language tokens
     */
    WhisperTranscript(
            Tokenizer tokenizer, int firstSpecial, int timestampBegin, double timePrecision, Set<Integer> languages) {
        this.tokenizer = tokenizer;
        this.firstSpecial = firstSpecial;
        this.timestampBegin = timestampBegin;
        this.timePrecision = timePrecision;
        this.languages = Set.copyOf(languages);
    }

    /**
     * One piece of a clip's audio and what the model said for it.
     *
     * @param tokens the generated tokens (every window's, in order; no prompt, no end token)
     * @param stride the chunk's [length, left stride, right stride] in seconds; null for a whole clip
     */
    record Piece(int[] tokens, double[] stride) {}

    /** The text, and the timestamped chunks (null unless asked). */
    record Result(String text, List<SpeechRecognitionTask.Piece> chunks) {}

    /** A chunk being built: its start, end and text. */
    private static final class Chunk {
        Double start;
        Double end;
        String text = "";
    }

    /** The state of reading one clip's pieces in order. */
    private final class Reader {
        final boolean timestamps;
        final List<Chunk> chunks = new ArrayList<>();
        Chunk chunk = new Chunk();
        double timeOffset;
        List<List<Integer>> previousTokens = new ArrayList<>();
        List<Integer> currentTokens = new ArrayList<>();
        boolean skip;
        int lastLanguage = -1;

        Reader(boolean timestamps) {
            this.timestamps = timestamps;
        }

        /** Ends the current chunk: the text of its runs joined where they agree. */
        void close() {
            previousTokens.add(currentTokens);
            chunk.text = text(longestCommonSequence(previousTokens));
            chunks.add(chunk);
            previousTokens = new ArrayList<>();
            currentTokens = new ArrayList<>();
            chunk = new Chunk();
        }

        // the piece being read: its held-back timestamps and its windows' times
        Integer lastTimestamp;
        double firstTimestamp;
        double currentMax;
        double previousSegments;
        double penultimate;

        void read(Piece piece) {
            int[] tokens = piece.tokens();
            lastTimestamp = null;
            firstTimestamp = timestampBegin;
            currentMax = 0;
            previousSegments = 0;
            penultimate = 0;
            if (piece.stride() != null) {
                holdStrides(tokens, piece.stride());
            }
            currentTokens = new ArrayList<>();
            for (int i = 0; i < tokens.length; i++) {
                int token = tokens[i];
                if (token >= firstSpecial && token < timestampBegin) {
                    // control tokens say nothing; without timestamps, another language closes the chunk
                    if (languages.contains(token)) {
                        if (lastLanguage >= 0 && token != lastLanguage && !timestamps) {
                            close();
                        }
                        lastLanguage = token;
                    }
                } else if (token < timestampBegin) {
                    currentTokens.add(token);
                } else {
                    timestamp(tokens, i);
                }
            }
            if (piece.stride() != null) {
                timeOffset += piece.stride()[0] - piece.stride()[2];
            }
            if (!currentTokens.isEmpty()) {
                previousTokens.add(currentTokens);
            } else if (previousTokens.stream().allMatch(List::isEmpty)) {
                chunk = new Chunk();
                previousTokens = new ArrayList<>();
            }
            currentTokens = new ArrayList<>();
        }

        /**
         * A chunk's strides: its times move back by the left stride; timestamps within the
         * strides do not split, held until both strides are left behind.
         */
        void holdStrides(int[] tokens, double[] stride) {
            double strideLeft = stride[1];
            double strideRight = stride[2];
            timeOffset -= strideLeft;
            double rightStrideStart = stride[0] - strideRight;
            if (strideLeft != 0) {
                firstTimestamp = strideLeft / timePrecision + timestampBegin;
            }
            if (strideRight != 0) {
                for (int i = tokens.length - 1; i >= 0; i--) {
                    if (tokens[i] >= timestampBegin) {
                        if (lastTimestamp != null && (tokens[i] - timestampBegin) * timePrecision < rightStrideStart) {
                            break;
                        }
                        lastTimestamp = tokens[i];
                    }
                }
            }
        }

        /** The timestamp at tokens[i]: a chunk's start or end, or one held back in a stride. */
        void timestamp(int[] tokens, int i) {
            int token = tokens[i];
            double timestamp = (token - timestampBegin) * timePrecision;
            if (timestamp < currentMax) { // a new window started
                boolean singleEnding = i >= 2 && !(tokens[i - 1] >= timestampBegin && tokens[i - 2] >= timestampBegin);
                if (singleEnding) {
                    previousSegments += timePrecision * SEGMENT_POSITIONS;
                } else {
                    currentMax = penultimate;
                    previousSegments += penultimate;
                }
            }
            penultimate = currentMax;
            currentMax = timestamp;
            double time = round2((token - timestampBegin) * timePrecision + timeOffset + previousSegments);
            if (lastTimestamp != null && token >= lastTimestamp) {
                skip = true; // in the right stride: this pair is resolved by the next chunk
            } else if (skip || (!previousTokens.isEmpty() && token < firstTimestamp)) {
                skip = false;
            } else if (chunk.start == null) {
                chunk.start = time;
            } else if (time != chunk.start) { // the same time again is a start, not an end
                chunk.end = time;
                close();
            }
        }

        Result result() {
            if (!previousTokens.isEmpty()) {
                // the last chunk without its closing timestamp (or a clip decoded without timestamps)
                chunk.text = text(longestCommonSequence(previousTokens));
                chunks.add(chunk);
            }
            StringBuilder text = new StringBuilder();
            List<SpeechRecognitionTask.Piece> pieces = new ArrayList<>();
            for (Chunk c : chunks) {
                text.append(c.text);
                pieces.add(new SpeechRecognitionTask.Piece(c.text, new Double[] {c.start, c.end}));
            }
            return new Result(text.toString(), timestamps ? pieces : null);
        }
    }

    /** The answer for one clip's pieces, in order. */
    Result decode(List<Piece> pieces, boolean timestamps) {
        Reader reader = new Reader(timestamps);
        pieces.forEach(reader::read);
        return reader.result();
    }

    private String text(List<Integer> tokens) {
        return tokenizer.decode(tokens.stream().mapToLong(Integer::longValue).toArray(), true);
    }

    /** Python's round(x, 2): the exact binary value rounded half to even. */
    private static double round2(double value) {
        return new BigDecimal(value).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
    }

    /**
     * Runs of tokens from overlapping audio joined into one: each next run is slid along the
     * joined ones, the offset where most tokens agree (more than one; ties to the longer overlap)
     * taken, and the overlap split in its middle (the left run's tokens before, the right's after).
     */
    static List<Integer> longestCommonSequence(List<List<Integer>> sequences) {
        List<Integer> left = sequences.getFirst();
        List<Integer> total = new ArrayList<>();
        for (List<Integer> right : sequences.subList(1, sequences.size())) {
            int leftLength = left.size();
            int rightLength = right.size();
            double best = 0.0;
            int[] bestIndices = {leftLength, leftLength, 0, 0};
            for (int i = 1; i < leftLength + rightLength; i++) {
                double eps = i / 10000.0; // favours long perfect matches
                int leftStart = Math.max(0, leftLength - i);
                int leftStop = Math.min(leftLength, leftLength + rightLength - i);
                int rightStart = Math.max(0, i - leftLength);
                int matches = 0;
                for (int k = 0; k < leftStop - leftStart; k++) {
                    if (left.get(leftStart + k).equals(right.get(rightStart + k))) {
                        matches++;
                    }
                }
                double matching = (double) matches / i + eps;
                if (matches > 1 && matching > best) {
                    best = matching;
                    bestIndices = new int[] {leftStart, leftStop, rightStart, Math.min(rightLength, i)};
                }
            }
            int leftMiddle = (bestIndices[1] + bestIndices[0]) / 2;
            int rightMiddle = (bestIndices[3] + bestIndices[2]) / 2;
            total.addAll(left.subList(0, leftMiddle));
            left = right.subList(rightMiddle, rightLength);
        }
        total.addAll(left);
        return total;
    }
}
