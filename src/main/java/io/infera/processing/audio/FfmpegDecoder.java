package io.infera.processing.audio;

import io.infera.errors.InvalidInputException;
import io.infera.errors.PayloadTooLargeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Decodes containers other than WAV (FLAC, MP3, OGG/Vorbis/Opus, M4A ...) with an installed
 * {@code ffmpeg}, the way the transformers pipelines read audio bytes: mono float32 at the model's
 * rate on stdout, so that ffmpeg also resamples, as it does for the pipelines. The bytes arrive on
 * stdin and only the {@code pipe} protocol is allowed, so a playlist in the upload cannot make
 * ffmpeg open files or URLs. The output is read up to the duration limit and no further, and a
 * decode that runs past its timeout is killed.
 */
public final class FfmpegDecoder {

    private static final int STDERR_KEPT = 2048;

    private final Path executable;
    private final Duration timeout;

    public FfmpegDecoder(Path executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /** {@code ffmpeg} found on the PATH, if there is one. */
    public static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "ffmpeg");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The ffmpeg infera.audio.ffmpeg names: none for {@code off}, the one on the PATH for {@code
     * auto}, else the path given (which must be an executable file).
     */
    public static Optional<Path> configured(String setting) {
        String value = setting.strip();
        Optional<Path> ffmpeg = switch (value) {
            case "off" -> Optional.empty();
            case "auto" -> onPath();
            default -> Optional.of(Path.of(value));
        };
        if (ffmpeg.isPresent() && !Files.isExecutable(ffmpeg.get())) {
            throw new IllegalStateException("infera.audio.ffmpeg: " + ffmpeg.get() + " is not an executable file");
        }
        return ffmpeg;
    }

    public Path executable() {
        return executable;
    }

    /**
     * A live decode: container bytes (WAV, Ogg or WebM with Opus, ...) written as they arrive,
     * samples delivered as ffmpeg produces them.
     *
     * @param rate the sampling rate to decode to
     */
    public FfmpegStream stream(int rate, FfmpegStream.Listener listener) {
        return new FfmpegStream(start(rate, true), listener);
    }

    /**
     * @param field      the request field the bytes came from, named in errors
     * @param rate       the sampling rate to decode to (the model's)
     * @param maxSeconds the longest audio accepted (413 beyond)
     */
    public Audio decode(byte[] bytes, String field, int rate, double maxSeconds) {
        long maxBytes = (long) Math.floor(maxSeconds * rate) * Float.BYTES;
        Process process = start(rate, false);
        Thread.ofVirtual().name("ffmpeg-stdin").start(() -> feed(process, bytes));
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread errors =
                Thread.ofVirtual().name("ffmpeg-stderr").start(() -> keepHead(process.getErrorStream(), stderr));
        var killer = java.util.concurrent.CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        var watchdog = java.util.concurrent.CompletableFuture.runAsync(process::destroyForcibly, killer);
        try {
            byte[] pcm = readAtMost(process.getInputStream(), maxBytes + Float.BYTES);
            if (pcm.length > maxBytes) {
                process.destroyForcibly();
                throw new PayloadTooLargeException(
                        field, String.format(Locale.ROOT, "audio is longer than the limit of %.1f s", maxSeconds));
            }
            int exit = process.waitFor();
            errors.join();
            if (watchdog.isDone()) {
                throw new InvalidInputException(
                        field, "ffmpeg did not finish decoding within " + timeout.toMillis() + " ms");
            }
            if (exit != 0 || pcm.length < Float.BYTES) {
                throw new InvalidInputException(field, "not audio that ffmpeg can decode" + reason(stderr));
            }
            float[] samples = new float[pcm.length / Float.BYTES];
            ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(samples);
            return new Audio(samples, rate);
        } catch (IOException e) {
            throw new InvalidInputException(field, "ffmpeg failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidInputException(field, "decoding was interrupted");
        } finally {
            watchdog.cancel(false);
            process.destroyForcibly();
        }
    }

    /** @param live read the input as it comes: only its headers probed, output flushed packet by packet */
    private Process start(int rate, boolean live) {
        List<String> command = new java.util.ArrayList<>(List.of(
                executable.toString(),
                "-hide_banner",
                "-nostats",
                "-loglevel",
                "error",
                "-protocol_whitelist",
                "pipe"));
        if (live) {
            command.addAll(List.of("-probesize", "32", "-analyzeduration", "0"));
        }
        command.addAll(
                List.of("-i", "pipe:0", "-vn", "-ac", "1", "-ar", Integer.toString(rate), "-f", "f32le", "pipe:1"));
        if (live) {
            command.add(command.size() - 1, "-flush_packets");
            command.add(command.size() - 1, "1");
        }
        try {
            return new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + executable + ": " + e.getMessage(), e);
        }
    }

    /** ffmpeg may stop reading early (it found the input invalid): a broken pipe here is its answer, not ours. */
    private static void feed(Process process, byte[] bytes) {
        try (OutputStream in = process.getOutputStream()) {
            in.write(bytes);
        } catch (IOException ignored) {
            // the exit status and stderr say what went wrong
        }
    }

    static void keepHead(InputStream stream, ByteArrayOutputStream kept) {
        try (stream) {
            byte[] buffer = new byte[1024];
            for (int n; (n = stream.read(buffer)) >= 0; ) {
                synchronized (kept) {
                    kept.write(buffer, 0, Math.max(0, Math.min(n, STDERR_KEPT - kept.size())));
                }
            }
        } catch (IOException ignored) {
            // the process was killed
        }
    }

    private static byte[] readAtMost(InputStream stream, long limit) throws IOException {
        try (stream) {
            return stream.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
        }
    }

    /** ffmpeg's first error line, without anything that names the server's files. */
    static String reason(ByteArrayOutputStream stderr) {
        String text;
        synchronized (stderr) {
            text = stderr.toString(StandardCharsets.UTF_8).strip();
        }
        String first = text.lines().findFirst().orElse("");
        if (first.isEmpty() || first.contains("/")) {
            return "";
        }
        return " (" + (first.length() > 160 ? first.substring(0, 160) : first) + ")";
    }
}
