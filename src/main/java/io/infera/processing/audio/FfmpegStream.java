package io.infera.processing.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One live ffmpeg decode: container bytes are queued as they arrive and written to ffmpeg's stdin
 * by a thread of their own (a slow decoder never blocks the caller); mono float32 samples are read
 * from its stdout as it produces them and handed to the listener, in order, from one reader
 * thread. {@link #finish} ends the input and completes when every sample has been delivered;
 * {@link #close} kills the decode.
 */
public final class FfmpegStream {

    /** Where the decoded samples go. */
    public interface Listener {
        /** Samples decoded, in order (called from the reader thread). */
        void samples(float[] samples);

        /** ffmpeg stopped with an error before the input ended: why, without server paths. */
        void failed(String reason);
    }

    private static final byte[] END = new byte[0];

    private final Process process;
    private final Listener listener;
    private final LinkedBlockingQueue<byte[]> input = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean finishing;
    private volatile boolean closed;

    FfmpegStream(Process process, Listener listener) {
        this.process = process;
        this.listener = listener;
        Thread.ofVirtual().name("ffmpeg-stream-stdin").start(this::write);
        Thread.ofVirtual()
                .name("ffmpeg-stream-stderr")
                .start(() -> FfmpegDecoder.keepHead(process.getErrorStream(), stderr));
        Thread.ofVirtual().name("ffmpeg-stream-stdout").start(this::read);
    }

    /** Queues container bytes for the decoder. */
    public void write(byte[] bytes) {
        if (!finishing && bytes.length > 0) {
            input.add(bytes);
        }
    }

    /** Ends the input; completes once ffmpeg has decoded it and every sample has been delivered. */
    public CompletableFuture<Void> finish() {
        finishing = true;
        input.add(END);
        return drained;
    }

    /** Kills the decode (the stream closed). */
    public void close() {
        closed = true;
        finishing = true;
        input.add(END);
        process.destroyForcibly();
    }

    private void write() {
        try (OutputStream stdin = process.getOutputStream()) {
            for (byte[] bytes; (bytes = input.take()) != END; ) {
                stdin.write(bytes);
                stdin.flush();
            }
        } catch (IOException ignored) {
            // ffmpeg stopped reading: its exit status says why
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        byte[] buffer = new byte[16384];
        int kept = 0; // bytes of an incomplete sample carried to the next read
        try (InputStream stdout = process.getInputStream()) {
            for (int n; (n = stdout.read(buffer, kept, buffer.length - kept)) >= 0; ) {
                int available = kept + n;
                int whole = available - available % Float.BYTES;
                if (whole > 0) {
                    float[] samples = new float[whole / Float.BYTES];
                    ByteBuffer.wrap(buffer, 0, whole)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .asFloatBuffer()
                            .get(samples);
                    listener.samples(samples);
                }
                kept = available - whole;
                System.arraycopy(buffer, whole, buffer, 0, kept);
            }
            int exit = process.waitFor();
            if (exit != 0 && !closed) {
                listener.failed("not audio that ffmpeg can decode" + FfmpegDecoder.reason(stderr));
            }
        } catch (IOException e) {
            if (!closed) {
                listener.failed("ffmpeg failed: " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            drained.complete(null);
        }
    }
}
