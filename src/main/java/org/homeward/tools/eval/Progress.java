package org.homeward.tools.eval;

import java.util.Locale;

/** Progress of a long step on stderr, at most every few seconds: done / total, rate, time left. */
final class Progress {

    private static final long EVERY_NANOS = 5_000_000_000L;

    private final String what;
    private final int total;
    private final int already;
    private final long start = System.nanoTime();
    private long lastPrint = System.nanoTime();
    private int done;

    /** {@code already} of the {@code total} items need no work (found in the cache). */
    Progress(String what, int total, int already) {
        this.what = what;
        this.total = total;
        this.already = already;
        this.done = already;
        if (total > already) {
            System.err.printf(Locale.ROOT, "[eval] %s: %d photos, %d from the cache, %d to run through the pipeline%n",
                    what, total, already, total - already);
        }
    }

    void step() {
        done++;
        long now = System.nanoTime();
        if (now - lastPrint >= EVERY_NANOS) {
            lastPrint = now;
            print(now);
        }
    }

    void done() {
        if (total > already) {
            print(System.nanoTime());
        }
    }

    private void print(long now) {
        double seconds = (now - start) / 1e9;
        int worked = done - already;
        double rate = seconds > 0 ? worked / seconds : 0;
        String left = rate > 0 && done < total ? ", about " + duration((total - done) / rate) + " left" : "";
        System.err.printf(Locale.ROOT, "[eval] %s embedded: %d / %d photos (%.2f photos/s%s; %s so far)%n",
                what, done, total, rate, left, duration(seconds));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60) : s + " s";
    }
}
