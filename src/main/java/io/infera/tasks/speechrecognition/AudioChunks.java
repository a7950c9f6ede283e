package io.infera.tasks.speechrecognition;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.InvalidInputException;
import io.infera.tasks.Parameters;
import java.util.ArrayList;
import java.util.List;

/**
 * Long audio in overlapping chunks, as the transformers speech recognition pipeline cuts it
 * ({@code chunk_length_s}, {@code stride_length_s}: chunk_iter): chunks of chunkSamples start
 * every chunkSamples - left - right samples; each chunk but the first shares its first left
 * samples with the chunk before, each but the last its last right samples with the chunk after.
 *
 * @param chunkSamples samples per chunk
 * @param left         samples of context each chunk shares with the one before
 * @param right        samples of context each chunk shares with the one after
 */
record AudioChunks(int chunkSamples, int left, int right) {

    /**
     * One chunk of a clip.
     *
     * @param start  its first sample in the clip
     * @param end    the sample after its last
     * @param left   samples of it the chunk before also has (0 for the first)
     * @param right  samples of it the chunk after also has (0 for the last)
     */
    record Span(int start, int end, int left, int right) {

        int length() {
            return end - start;
        }
    }

    /**
     * The request's chunking, null where it asks for none.
     *
     * @param rate       the model's sampling rate
     * @param alignTo    samples per model frame: chunk and strides are whole frames (1 for none)
     * @param maxSeconds the longest chunk the model takes
     */
    static AudioChunks read(Parameters p, int rate, int alignTo, double maxSeconds) {
        double chunk = p.decimal("chunk_length_s", 0, 0, maxSeconds);
        double[] stride = strides(p.raw("stride_length_s"), chunk / 6); // checked even where no chunking uses it
        if (chunk == 0) {
            return null;
        }
        int chunkSamples = aligned(chunk, rate, alignTo);
        int left = aligned(stride[0], rate, alignTo);
        int right = aligned(stride[1], rate, alignTo);
        if (chunkSamples < left + right) {
            throw new InvalidInputException(
                    "parameters.stride_length_s", "the strides on both sides must fit in the chunk");
        }
        if (chunkSamples == left + right) {
            throw new InvalidInputException(
                    "parameters.chunk_length_s", "chunks must be longer than their two strides");
        }
        return new AudioChunks(chunkSamples, left, right);
    }

    /** The chunks of a clip of this many samples, in order (a chunk no longer than its left stride is left out). */
    List<Span> spans(int samples) {
        List<Span> spans = new ArrayList<>();
        int step = chunkSamples - left - right;
        for (int start = 0; start < samples; start += step) {
            int end = Math.min(samples, start + chunkSamples);
            boolean last = start + chunkSamples >= samples;
            int leftShared = start == 0 ? 0 : left;
            if (end - start > leftShared) {
                spans.add(new Span(start, end, leftShared, last ? 0 : right));
            }
            if (last) {
                break;
            }
        }
        return spans;
    }

    /** stride_length_s as the pipeline takes it: one number for both sides, or [left, right]; chunk/6 each by default. */
    private static double[] strides(JsonNode value, double fallback) {
        if (value == null) {
            return new double[] {fallback, fallback};
        }
        if (value.isNumber() && value.asDouble() >= 0 && value.asDouble() <= 3600) {
            return new double[] {value.asDouble(), value.asDouble()};
        }
        if (value.isArray()
                && value.size() == 2
                && value.get(0).isNumber()
                && value.get(1).isNumber()
                && value.get(0).asDouble() >= 0
                && value.get(1).asDouble() >= 0
                && value.get(0).asDouble() <= 3600
                && value.get(1).asDouble() <= 3600) {
            return new double[] {value.get(0).asDouble(), value.get(1).asDouble()};
        }
        throw new InvalidInputException(
                "parameters.stride_length_s",
                "expected seconds (0 to 3600) for both sides, or [left, right], got " + value);
    }

    /** Seconds to samples, rounded (half to even, as Python) to whole model frames. */
    private static int aligned(double seconds, int rate, int alignTo) {
        return (int) (Math.rint(seconds * rate / alignTo) * alignTo);
    }
}
