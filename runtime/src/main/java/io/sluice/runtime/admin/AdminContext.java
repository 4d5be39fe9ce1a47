package io.sluice.runtime.admin;

import io.sluice.runtime.SluiceSettings;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What every admin command works with: the settings SQS clients are built from, the time (a clock for progress lines,
 * a pause between polls of a running move task), and where it writes and reads.
 *
 * @param settings the worker's settings ({@code sluice.*}, {@code SLUICE_*}); the command line overrides some
 * @param clock    tells when a progress line is due
 * @param pause    waits between polls of a move task that SQS runs
 * @param out      results: tables, JSON, summaries
 * @param err      progress lines, prompts, warnings and errors
 * @param in       answers to prompts, and {@code send}'s lines when its file is {@code -}
 */
record AdminContext(SluiceSettings settings, Clock clock, Pause pause, PrintWriter out, PrintWriter err,
        BufferedReader in) {

    AdminContext {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(pause, "pause");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(in, "in");
    }

    /** On the system clock, pausing the calling thread. */
    static AdminContext system(SluiceSettings settings, PrintWriter out, PrintWriter err, InputStream in) {
        return new AdminContext(settings, Clock.systemUTC(), Pause.SLEEP, out, err,
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    }

    /** Writes {@code line} to the error stream as a warning: something was left undone, the command goes on. */
    void warn(String line) {
        err.println("warning: " + line);
        err.flush();
    }

    /** Waits for a while: the calling thread sleeps, or a test's time moves. */
    @FunctionalInterface
    interface Pause {

        /** The calling thread sleeps. */
        Pause SLEEP = duration -> Thread.sleep(duration.toMillis());

        void pause(Duration duration) throws InterruptedException;
    }
}
