package io.infera.offline;

import java.io.PrintStream;
import java.util.Locale;

/** A progress line on stderr (records, percent, rate, ETA), redrawn at most twice a second, and the summary. */
final class Progress {

    private final PrintStream out;
    private final long total;
    private final long skipped;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long done;
    private long errors;

    /** @param skipped records an earlier run already wrote */
    Progress(PrintStream out, long total, long skipped) {
        this.out = out;
        this.total = total;
        this.skipped = skipped;
    }

    void recordDone(boolean failed) {
        done++;
        errors += failed ? 1 : 0;
        long now = System.nanoTime();
        if (now - lastDraw > 500_000_000L || skipped + done == total) {
            lastDraw = now;
            draw(now);
        }
    }

    private void draw(long now) {
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        long left = Math.max(0, total - skipped - done);
        String eta = rate > 0 ? clock((long) (left / rate)) : "--:--";
        long current = skipped + done;
        double percent = total > 0 ? 100.0 * current / total : 100;
        int width = 30;
        int filled = (int) Math.round(width * Math.min(1, percent / 100));
        out.printf(
                Locale.ROOT,
                "\r[%s%s] %,d / %,d (%.1f%%)  %,.0f records/s  ETA %s  errors %,d ",
                "#".repeat(filled),
                ".".repeat(width - filled),
                current,
                total,
                percent,
                rate,
                eta,
                errors);
        out.flush();
    }

    void summary() {
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(
                Locale.ROOT,
                "%nscored %,d records (%,d resumed from an earlier run), %,d errors, in %.1f s: %,.0f records/s%n",
                done,
                skipped,
                errors,
                seconds,
                seconds > 0 ? done / seconds : 0);
    }

    private static String clock(long seconds) {
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
