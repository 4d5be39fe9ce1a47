package io.sluice.benchmarks;

import static io.sluice.benchmarks.Report.group;
import static io.sluice.benchmarks.Report.median;
import static io.sluice.benchmarks.Report.minMedMax;

import io.sluice.benchmarks.BenchmarkMain.Run;
import java.util.List;
import java.util.Map;

/**
 * The markdown tables of the flow-control scenarios, each against the goal it was built to check: adaptive concurrency
 * on a downstream with a hidden knee ({@code knee}), the receive rate limit ({@code rate}) and prefetch ({@code
 * prefetch}).
 */
final class FlowReport {

    /** Adaptive: at least this share of the best fixed setting's msg/s ... */
    static final double KNEE_THROUGHPUT_GOAL = 0.90;
    /** ... with the downstream's p99 at most this multiple of its unloaded latency. */
    static final double KNEE_P99_GOAL = 2.0;
    /** Rate: the achieved rate within this share of the limit. */
    static final double RATE_DEVIATION_GOAL = 0.05;
    /** Prefetch: at least this share of the ideal msg/s, at most this many requests per message. */
    static final double PREFETCH_THROUGHPUT_GOAL = 0.90;
    static final double PREFETCH_REQUESTS_GOAL = 0.21;

    private FlowReport() {
    }

    static void knee(BenchmarkMain main, StringBuilder md) {
        for (String caseName : main.caseNames("knee")) {
            Map<String, List<Run>> byContender = group(main, "knee", caseName);
            double bestFixed = byContender.entrySet().stream().filter(entry -> entry.getKey().startsWith("fixed"))
                    .mapToDouble(entry -> median(entry.getValue(), run -> run.number("msgPerSec"))).max()
                    .orElse(Double.NaN);
            double best = 1000.0 * main.knee / main.kneeUnloadedMs;
            md.append(String.format("### Adaptive concurrency: a downstream with a knee at %d calls, %d ms unloaded"
                            + " (at most %.0f msg/s), %d messages measured after %d warm-up, %d round(s)%n%n", main.knee,
                    main.kneeUnloadedMs, best, main.kneeMessages, main.kneeWarmupMessages,
                    byContender.values().stream().mapToInt(List::size).max().orElse(0)));
            md.append("The handler returns the downstream call's future. Downstream latency is the simulator's (set as"
                    + " each call starts), its p99 over the calls after the first 10 %; calls above the knee and the most"
                    + " at once count every call; the limit is Sluice's concurrency limit sampled every "
                    + LimitObserver.SAMPLE_MS + " ms from the first handler start.\n\n");
            md.append("| contender | msg/s min / **median** / max | × best fixed (medians) | cold msg/s (median) |"
                    + " downstream p99 ms (median) | p99 ÷ unloaded | calls above the knee (median) | most at once"
                    + " (median) | limit: median over the run / final (medians) | limit: lowest – highest sample"
                    + " (medians) | limit changes (median) | requests/msg |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            byContender.forEach((contender, runs) -> {
                double rate = median(runs, run -> run.number("msgPerSec"));
                double p99 = median(runs, run -> run.number("downstreamP99Ms"));
                md.append(String.format("| %s | %s | **%.2f** | %.0f | %.1f | **%.2f** | %.1f %% | %.0f | %.0f / %.0f |"
                                + " %.0f – %.0f | %.0f | %.3f |%n", contender, minMedMax(runs, run -> run.number("msgPerSec"), "%.0f"),
                        rate / bestFixed, median(runs, run -> run.number("coldMsgPerSec")), p99,
                        p99 / main.kneeUnloadedMs,
                        median(runs, run -> 100 * run.number("downstreamAboveKnee") / run.number("downstreamCalls")),
                        median(runs, run -> run.number("downstreamMostAtOnce")),
                        median(runs, run -> run.number("limitMedian")), median(runs, run -> run.number("limitFinal")),
                        median(runs, run -> run.number("limitMin")), median(runs, run -> run.number("limitMax")),
                        median(runs, run -> run.number("limitChanges")),
                        median(runs, run -> run.totalRequests() / run.number("messages"))));
            });
            md.append('\n');
            byContender.forEach((contender, runs) -> {
                if (!contender.startsWith("adaptive")) {
                    return;
                }
                double share = median(runs, run -> run.number("msgPerSec")) / bestFixed;
                double p99 = median(runs, run -> run.number("downstreamP99Ms")) / main.kneeUnloadedMs;
                md.append(String.format("- %s: %.0f %% of the best fixed setting's msg/s (goal ≥ %.0f %%: %s), p99 %.2f ×"
                                + " unloaded (goal ≤ %.1f ×: %s)%n", contender, 100 * share,
                        100 * KNEE_THROUGHPUT_GOAL, met(share >= KNEE_THROUGHPUT_GOAL), p99, KNEE_P99_GOAL,
                        met(p99 <= KNEE_P99_GOAL)));
            });
            md.append('\n');
        }
    }

    static void rate(BenchmarkMain main, StringBuilder md) {
        for (String caseName : main.caseNames("rate")) {
            md.append(String.format("### Receive rate limit: maxMessagesPerSecond %s on a backlog of %d, measured for"
                    + " %d s from 10 s after the first receive%n%n", Report.decimal(main.rateLimit), main.rateMessages,
                    main.rateSeconds));
            md.append("| contender | achieved msg/s min / **median** / max | deviation from the limit (median) |"
                    + " receive requests/msg | requests/msg | empty receives/msg | longest receive → handler start ms,"
                    + " whole run / after the first " + LimitObserver.WARM_STARTS + " starts (worst round) | waits over "
                    + LimitObserver.LONG_WAIT_MS + " ms (worst round) | rounds |\n|---|---|---|---|---|---|---|---|---|\n");
            group(main, "rate", caseName).forEach((contender, runs) -> {
                double deviation = median(runs, run -> run.number("msgPerSec")) / main.rateLimit - 1;
                md.append(String.format("| %s | %s | **%+.1f %%** (goal within ±%.0f %%: %s) | %.3f | %.3f | %.3f |"
                                + " %.0f / %.0f | %.0f | %d |%n", contender, minMedMax(runs, run -> run.number("msgPerSec"), "%.1f"),
                        100 * deviation, 100 * RATE_DEVIATION_GOAL, met(Math.abs(deviation) <= RATE_DEVIATION_GOAL),
                        median(runs, run -> run.requests("ReceiveMessage") / run.number("messages")),
                        median(runs, run -> run.totalRequests() / run.number("messages")),
                        median(runs, run -> run.number("emptyReceives") / run.number("messages")),
                        runs.stream().mapToDouble(run -> run.number("maxWaitedMs")).max().orElse(Double.NaN),
                        runs.stream().mapToDouble(run -> run.number("maxWarmWaitedMs")).max().orElse(Double.NaN),
                        runs.stream().mapToDouble(run -> run.number("longWaits")).max().orElse(Double.NaN),
                        runs.size()));
            });
            md.append('\n');
        }
    }

    static void prefetch(BenchmarkMain main, StringBuilder md) {
        for (String caseName : main.caseNames("prefetch")) {
            double ideal = 1000.0 * BenchmarkMain.PREFETCH_CONCURRENCY / BenchmarkMain.PREFETCH_SLEEP_MS;
            md.append(String.format("### Prefetch: a %d ms handler (Thread.sleep on Sluice's handler thread) at"
                            + " concurrency %d, %d messages measured after %d warm-up (ideal %.0f msg/s)%n%n",
                    BenchmarkMain.PREFETCH_SLEEP_MS, BenchmarkMain.PREFETCH_CONCURRENCY, main.prefetchMessages,
                    main.prefetchWarmupMessages, ideal));
            md.append("| contender | msg/s min / **median** / max | of ideal (median) | requests/msg (goal ≤ "
                    + PREFETCH_REQUESTS_GOAL + ") | receive | delete | empty receives | longest receive → handler"
                    + " start ms (worst round) | CPU µs/msg | rounds |\n|---|---|---|---|---|---|---|---|---|---|\n");
            group(main, "prefetch", caseName).forEach((contender, runs) -> {
                double share = median(runs, run -> run.number("msgPerSec")) / ideal;
                double requests = median(runs, run -> run.totalRequests() / run.number("messages"));
                md.append(String.format("| %s | %s | **%.1f %%** (%s) | **%.3f** (%s) | %.3f | %.3f | %.3f | %.0f |"
                                + " %.0f | %d |%n", contender, minMedMax(runs, run -> run.number("msgPerSec"), "%.0f"),
                        100 * share, contender.endsWith("prefetch 0") ? "reference, no goal"
                                : met(share >= PREFETCH_THROUGHPUT_GOAL), requests,
                        met(requests <= PREFETCH_REQUESTS_GOAL),
                        median(runs, run -> run.requests("ReceiveMessage") / run.number("messages")),
                        median(runs, run -> run.requests("DeleteMessageBatch") / run.number("messages")),
                        median(runs, run -> run.number("emptyReceives") / run.number("messages")),
                        runs.stream().mapToDouble(run -> run.number("maxWaitedMs")).max().orElse(Double.NaN),
                        median(runs, run -> run.number("cpuMicrosPerMessage")), runs.size()));
            });
            md.append('\n');
        }
    }

    private static String met(boolean met) {
        return met ? "met" : "**missed**";
    }
}
