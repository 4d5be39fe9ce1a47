package io.sluice.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The example worker's processes of a chaos run: each a JVM of {@code order-processing.jar} in worker mode on the
 * fault proxy, with its own journal and log; one can be killed ({@code SIGKILL}) and replaced, and all stopped
 * gracefully ({@code SIGTERM}) at the end.
 */
final class WorkerFleet implements AutoCloseable {

    /** One worker process: its number, journal and when it was killed (if it was). */
    record Member(int number, Process process, Path journal, Path log, Instant started) {
    }

    private final String java;
    private final Path jar;
    private final URI endpoint;
    private final Path dir;
    private final List<String> options;
    private final List<Member> running = new ArrayList<>();
    private final List<Member> all = new ArrayList<>();
    private final Map<Integer, Instant> killed = new java.util.TreeMap<>();
    private int next = 1;

    /**
     * @param options the example's options every worker gets (failure rate, outage, ...)
     */
    WorkerFleet(String java, Path jar, URI endpoint, Path dir, List<String> options) {
        this.java = java;
        this.jar = jar;
        this.endpoint = endpoint;
        this.dir = dir;
        this.options = List.copyOf(options);
    }

    /** Starts one more worker process. */
    synchronized Member start() throws IOException {
        int number = next++;
        Path journal = dir.resolve("worker-" + number + ".journal");
        Path log = dir.resolve("worker-" + number + ".log");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString(), "--endpoint",
                endpoint.toString(), "--journal", journal.toString()));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "x",
                "AWS_SECRET_ACCESS_KEY", "x", "SLUICE_HTTP_ENABLED", "false"));
        Member member = new Member(number, builder.start(), journal, log, Instant.now());
        running.add(member);
        all.add(member);
        return member;
    }

    /** Kills the longest-running worker with {@code SIGKILL} and starts a new one in its place. */
    synchronized Member killOldestAndReplace() throws IOException, InterruptedException {
        Member victim = running.remove(0);
        victim.process().destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no graceful stop
        victim.process().waitFor(30, TimeUnit.SECONDS);
        killed.put(victim.number(), Instant.now());
        return start();
    }

    /** Whether every running worker is still alive (a worker that exits on its own is a failure of the run). */
    synchronized List<Member> exitedOnTheirOwn() {
        return running.stream().filter(member -> !member.process().isAlive()).toList();
    }

    /** Stops every running worker with {@code SIGTERM}, waiting up to {@code timeout} for each. */
    synchronized void stopAll(Duration timeout) throws InterruptedException {
        running.forEach(member -> member.process().destroy());
        for (Member member : running) {
            if (!member.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                member.process().destroyForcibly();
            }
        }
        running.clear();
    }

    /** Every worker started, in order. */
    synchronized List<Member> all() {
        return List.copyOf(all);
    }

    /** When each killed worker (by number) was killed. */
    synchronized Map<Integer, Instant> killed() {
        return Map.copyOf(killed);
    }

    @Override
    public synchronized void close() {
        running.forEach(member -> member.process().destroyForcibly());
        running.clear();
    }
}
