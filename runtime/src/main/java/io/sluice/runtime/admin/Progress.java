package io.sluice.runtime.admin;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The progress line of a long run: written to the error stream at most once every {@link #EVERY}, the first one only
 * when the run has lasted that long (a short run prints none).
 */
final class Progress {

    static final Duration EVERY = Duration.ofSeconds(2);

    private final PrintWriter err;
    private final Clock clock;
    private Instant due;

    Progress(PrintWriter err, Clock clock) {
        this.err = err;
        this.clock = clock;
        this.due = clock.instant().plus(EVERY);
    }

    /** Writes {@code line} when one is due. */
    void report(Supplier<String> line) {
        Instant now = clock.instant();
        if (!now.isBefore(due)) {
            err.println(line.get());
            err.flush();
            due = now.plus(EVERY);
        }
    }

    /** {@code "N of ~TOTAL"}, or {@code "N"} when the total is not known. */
    static String count(long done, long approximateTotal) {
        return approximateTotal > 0 ? done + " of ~" + Math.max(done, approximateTotal) : Long.toString(done);
    }
}
