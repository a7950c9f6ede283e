package io.infera.offline;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The output file, one line per input record in input order, so that its complete lines say how
 * far an earlier run got: opening it keeps those lines, cuts a line left half-written by a crash,
 * and appends after them. A run resumed this way neither repeats nor loses a record.
 */
final class ResumableOutput implements Closeable {

    private final BufferedWriter writer;
    private final long done;

    private ResumableOutput(BufferedWriter writer, long done) {
        this.writer = writer;
        this.done = done;
    }

    static ResumableOutput open(Path path) throws IOException {
        long complete = 0;
        long keep = 0;
        if (Files.exists(path)) {
            long position = 0;
            try (InputStream in = Files.newInputStream(path)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            complete++;
                            keep = position + i + 1;
                        }
                    }
                    position += n;
                }
            }
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                channel.truncate(keep); // a line cut short by a crash is written again
            }
        }
        BufferedWriter writer = Files.newBufferedWriter(
                path,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return new ResumableOutput(writer, complete);
    }

    /** Records an earlier run completed (lines kept). */
    long done() {
        return done;
    }

    void write(String line) throws IOException {
        writer.write(line);
        writer.write('\n');
    }

    void flush() throws IOException {
        writer.flush();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
