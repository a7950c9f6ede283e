package io.infera.tasks.speechrecognition;

import io.infera.generation.Seq2SeqBatcher.Generation;
import io.infera.runtime.Tensor;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * A stretch of log-mel features decoded window by window, as transformers' Whisper generate does
 * (4.57): the window starts at the stretch's first frame; what the model generates for it is cut
 * after its last timestamp pair, and the next window starts at that pair's time, unless the tokens
 * end with a single timestamp (nothing more was said) or hold no pair, which moves it a whole
 * window on; until the window starts past the stretch. A window is the features from its start,
 * zero-filled to the model's window where the stretch ends first. Without timestamps a window
 * holds no pair: one window.
 *
 * <p>A clip up to the window is one stretch of the window's features (the clip padded with silence
 * to 30 s, whose padding is decoded too, as generate decodes it); a longer clip's whole features
 * are one stretch (long-form decoding).
 */
final class WhisperWindows {

    /** Decodes one window's features [mels, window frames] from a decoder prompt. */
    interface Decoder {
        CompletableFuture<Generation> decode(Tensor window, int[] prompt);
    }

    private final int windowFrames;
    private final int framesPerPosition;
    private final int timestampBegin;
    private final int[] eos;

    /**
     * @param windowFrames      feature frames in the model's window (3000: 30 s)
     * @param framesPerPosition feature frames per encoder position, the step of a timestamp token (2)
     * @param timestampBegin    the first timestamp token
     * @param eos               the end tokens
     */
    WhisperWindows(int windowFrames, int framesPerPosition, int timestampBegin, int[] eos) {
        this.windowFrames = windowFrames;
        this.framesPerPosition = framesPerPosition;
        this.timestampBegin = timestampBegin;
        this.eos = eos.clone();
    }

    int windowFrames() {
        return windowFrames;
    }

    /**
     * Decodes the stretch's frames [0, frames); the prompt's open language position is filled by
     * the first window and kept for the others.
     *
     * @param features [mels, at least frames]
     * @return every window's kept tokens, in order; cancelling it cancels the window decoding
     */
    CompletableFuture<int[]> decode(Tensor features, int frames, int[] prompt, Decoder decoder) {
        CompletableFuture<int[]> done = new CompletableFuture<>();
        next(features, frames, 0, prompt, decoder, new int[0], done);
        return done;
    }

    private void next(
            Tensor features,
            int frames,
            int seek,
            int[] prompt,
            Decoder decoder,
            int[] kept,
            CompletableFuture<int[]> done) {
        if (done.isDone()) {
            return;
        }
        int seekFrames = Math.min(frames - seek, windowFrames);
        CompletableFuture<Generation> running;
        try {
            running = decoder.decode(window(features, seek, seekFrames), prompt);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
        }
        done.whenComplete((result, error) -> running.cancel(false));
        running.whenComplete((generation, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            int[] tokens = withoutEnd(generation.sequences().getFirst());
            int keep = keptLength(tokens);
            int[] all = Arrays.copyOf(kept, kept.length + keep);
            System.arraycopy(tokens, 0, all, kept.length, keep);
            int advance = advance(tokens, keep, seekFrames);
            if (seek + advance >= frames) {
                done.complete(all);
            } else {
                next(features, frames, seek + advance, generation.prompt(), decoder, all, done);
            }
        });
    }

    /** The frames [seek, seek + count) of [mels, frames] features, zero-filled to a window. */
    private Tensor window(Tensor features, int seek, int count) {
        int mels = (int) features.shape()[0];
        int total = (int) features.shape()[1];
        float[] source = features.floats();
        float[] window = new float[mels * windowFrames];
        for (int m = 0; m < mels; m++) {
            System.arraycopy(source, m * total + seek, window, m * windowFrames, count);
        }
        return Tensor.of(window, mels, windowFrames);
    }

    private int[] withoutEnd(int[] tokens) {
        if (tokens.length > 0) {
            for (int end : eos) {
                if (tokens[tokens.length - 1] == end) {
                    return Arrays.copyOf(tokens, tokens.length - 1);
                }
            }
        }
        return tokens;
    }

    private boolean isTimestamp(int token) {
        return token >= timestampBegin;
    }

    /** Whether the tokens end with one timestamp after text: nothing more was said in the window. */
    private boolean singleTimestampEnding(int[] tokens) {
        int n = tokens.length;
        return n >= 2 && !isTimestamp(tokens[n - 2]) && isTimestamp(tokens[n - 1]);
    }

    /** The index after the second timestamp of the last pair, -1 where no two timestamps follow each other. */
    private int afterLastPair(int[] tokens) {
        for (int i = tokens.length - 2; i >= 0; i--) {
            if (isTimestamp(tokens[i]) && isTimestamp(tokens[i + 1])) {
                return i + 2;
            }
        }
        return -1;
    }

    /** How many of the window's tokens are kept: up to the last pair, unless the window ended alone or holds no pair. */
    private int keptLength(int[] tokens) {
        int after = afterLastPair(tokens);
        return after < 0 || singleTimestampEnding(tokens) ? tokens.length : after;
    }

    /**
     * Frames to the next window: to the last pair's time, or a whole window. A pair at time 0
     * would decode the same window forever (generate would): the window moves on instead.
     */
    private int advance(int[] tokens, int kept, int seekFrames) {
        if (afterLastPair(tokens) < 0 || singleTimestampEnding(tokens)) {
            return seekFrames;
        }
        int frames = (tokens[kept - 2] - timestampBegin) * framesPerPosition;
        return frames > 0 ? frames : seekFrames;
    }
}
