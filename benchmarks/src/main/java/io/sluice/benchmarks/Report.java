package io.sluice.benchmarks;

import io.sluice.benchmarks.BenchmarkMain.Run;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The markdown tables of one benchmark run: min / median / max per contender and the ratio of medians. */
final class Report {

    private Report() {
    }

    static String markdown(BenchmarkMain main, String started, double loadAtStart, double loadAtEnd) {
        StringBuilder md = new StringBuilder();
        md.append("Run started ").append(started).append(", `").append(main.commandLine()).append("`; ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs, orchestrator ")
                .append(Runtime.version()).append(", consumer heap ").append(main.heap).append(".\n");
        double minLoad = main.runs.stream().mapToDouble(Run::loadBefore).min().orElse(Double.NaN);
        double maxLoad = main.runs.stream().mapToDouble(Run::loadBefore).max().orElse(Double.NaN);
        md.append(String.format("1-minute load average: %.2f at start, %.2f at end, %.2f–%.2f before the runs.%n%n",
                loadAtStart, loadAtEnd, minLoad, maxLoad));
        if (main.baselineJar != null) {
            md.append("`").append(BenchmarkMain.BASELINE).append("` is the default Sluice contender (spec `sluice`) run"
                    + " from `").append(main.baselineJar).append("`, alternating with the others in each round.\n\n");
        }
        long errors = main.runs.stream().filter(run -> run.result().has("error")).count();
        long leftovers = main.runs.stream().filter(run -> !run.scenario().equals("produce") && run.remaining() > 0)
                .count();
        if (errors > 0 || leftovers > 0) {
            md.append("**").append(errors).append(" run(s) failed and ").append(leftovers)
                    .append(" left messages in the queue; see the log.**\n\n");
        }
        long unsent = main.runs.stream().filter(run -> run.scenario().equals("produce") && !run.result().has("error")
                && (run.number("failed") + run.number("warmupFailed") > 0 || !queueHoldsWhatWasSent(run))).count();
        if (unsent > 0) {
            md.append("**").append(unsent).append(" producer run(s) had failed sends or a queue that does not hold"
                    + " exactly what was acknowledged; see the log.**\n\n");
        }
        drain(main, md);
        io(main, md);
        latency(main, md);
        memory(main, md);
        idle(main, md);
        produce(main, md);
        FlowReport.knee(main, md);
        FlowReport.rate(main, md);
        FlowReport.prefetch(main, md);
        nativeMemory(main, md);
        return md.toString();
    }

    private static void drain(BenchmarkMain main, StringBuilder md) {
        for (String caseName : main.caseNames("drain")) {
            Map<String, List<Run>> byContender = group(main, "drain", caseName);
            List<Run> baseline = byContender.values().iterator().next();
            double baseRate = median(baseline, run -> run.number("msgPerSec"));
            double baseCpu = median(baseline, run -> run.number("cpuMicrosPerMessage"));
            md.append("### Drain: ").append(caseName.replace("drain ", "")).append(" messages measured after ")
                    .append(main.warmupMessages).append(" warm-up messages in the same JVM, ").append(baseline.size())
                    .append(" round(s)\n\n");
            md.append("| contender | msg/s min / **median** / max | ×raw (medians) | cold msg/s (median) |"
                    + " CPU µs/msg median | ×raw | requests/msg | receive | delete | change-vis | empty receives |"
                    + " peak RSS MB |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            byContender.forEach((contender, runs) -> {
                double rate = median(runs, run -> run.number("msgPerSec"));
                double cpu = median(runs, run -> run.number("cpuMicrosPerMessage"));
                md.append(String.format("| %s | %s | %.2f | %.0f | %.0f | %.2f | %.3f | %.3f | %.3f | %.3f | %.3f | %.0f |%n",
                        contender, minMedMax(runs, run -> run.number("msgPerSec"), "%.0f"), rate / baseRate,
                        median(runs, run -> run.number("coldMsgPerSec")), cpu,
                        cpu / baseCpu, median(runs, run -> run.totalRequests() / run.number("messages")),
                        median(runs, run -> run.requests("ReceiveMessage") / run.number("messages")),
                        median(runs, run -> run.requests("DeleteMessageBatch") / run.number("messages")),
                        median(runs, run -> run.requests("ChangeMessageVisibilityBatch") / run.number("messages")),
                        median(runs, run -> run.number("emptyReceives") / run.number("messages")),
                        median(runs, run -> run.number("rssHwmMb"))));
            });
            md.append('\n');
            List<Run> before = byContender.get(BenchmarkMain.BASELINE);
            List<Run> after = byContender.get("sluice-default");
            if (before != null && after != null) {
                md.append(String.format("sluice-default against %s (ratio of medians): %.2f × the msg/s, %.2f × the"
                                + " CPU µs/msg.%n%n", BenchmarkMain.BASELINE,
                        median(after, run -> run.number("msgPerSec")) / median(before, run -> run.number("msgPerSec")),
                        median(after, run -> run.number("cpuMicrosPerMessage"))
                                / median(before, run -> run.number("cpuMicrosPerMessage"))));
            }
        }
    }

    private static void io(BenchmarkMain main, StringBuilder md) {
        if (main.caseNames("io").isEmpty()) {
            return;
        }
        md.append("### I/O-bound handlers (the handler blocks in Thread.sleep)\n\n");
        md.append("| case | contender | ideal msg/s | msg/s min / **median** / max | achieved / ideal (median) |"
                + " ×raw (medians) | requests/msg | CPU µs/msg |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (String caseName : main.caseNames("io")) {
            Map<String, List<Run>> byContender = group(main, "io", caseName);
            String[] parts = caseName.split(" ");
            double sleepSeconds = parts[1].equals("ms") ? Double.parseDouble(parts[0]) / 1000 : Double.parseDouble(parts[0]);
            double ideal = Double.parseDouble(parts[parts.length - 1]) / sleepSeconds;
            double baseRate = median(byContender.values().iterator().next(), run -> run.number("msgPerSec"));
            byContender.forEach((contender, runs) -> {
                double rate = median(runs, run -> run.number("msgPerSec"));
                md.append(String.format("| %s | %s | %.0f | %s | %.1f %% | %.2f | %.3f | %.0f |%n", caseName, contender,
                        ideal, minMedMax(runs, run -> run.number("msgPerSec"), "%.0f"), 100 * rate / ideal,
                        rate / baseRate, median(runs, run -> run.totalRequests() / run.number("messages")),
                        median(runs, run -> run.number("cpuMicrosPerMessage"))));
            });
        }
        md.append('\n');
    }

    private static void latency(BenchmarkMain main, StringBuilder md) {
        for (String caseName : main.caseNames("latency")) {
            md.append("### Latency, SendMessage returned → handler started, at ").append(caseName).append("\n\n");
            md.append("| contender | p50 ms (median of rounds) | p99 ms min / **median** / max | max ms (worst round) |"
                    + " samples/round | requests/msg |\n|---|---|---|---|---|---|\n");
            group(main, "latency", caseName).forEach((contender, runs) -> md.append(String.format(
                    "| %s | %.1f | %s | %.1f | %.0f | %.3f |%n", contender,
                    median(runs, run -> run.number("latencyP50Ms")),
                    minMedMax(runs, run -> run.number("latencyP99Ms"), "%.1f"),
                    runs.stream().mapToDouble(run -> run.number("latencyMaxMs")).max().orElse(Double.NaN),
                    median(runs, run -> run.number("latencySamples")),
                    median(runs, run -> run.totalRequests() / run.number("messages")))));
            md.append('\n');
        }
    }

    private static void memory(BenchmarkMain main, StringBuilder md) {
        if (main.caseNames("memory").isEmpty()) {
            return;
        }
        md.append("### Memory of the consumer JVM while draining (fixed heap ").append(main.heap).append(")\n\n");
        md.append("| backlog | contender | peak heap MB min / **median** / max | max heap after GC MB (median) |"
                + " peak RSS MB (median) | msg/s (median) | rounds |\n|---|---|---|---|---|---|---|\n");
        for (String caseName : main.caseNames("memory")) {
            group(main, "memory", caseName).forEach((contender, runs) -> md.append(String.format(
                    "| %s | %s | %s | %.1f | %.0f | %.0f | %d |%n", caseName.replace("backlog ", ""), contender,
                    minMedMax(runs, run -> run.number("peakHeapMb"), "%.0f"),
                    median(runs, run -> run.number("maxHeapAfterGcMb")), median(runs, run -> run.number("rssHwmMb")),
                    median(runs, run -> run.number("msgPerSec")), runs.size())));
        }
        md.append('\n');
    }

    private static void idle(BenchmarkMain main, StringBuilder md) {
        for (String caseName : main.caseNames("idle")) {
            md.append("### Idle cost: an empty queue for ").append(caseName.replace("idle ", "")).append("\n\n");
            md.append("| contender | receive loops (pollers) | requests/min for the queue | requests/min per poller |\n"
                    + "|---|---|---|---|\n");
            group(main, "idle", caseName).forEach((contender, runs) -> {
                double perMinute = median(runs, run -> run.totalRequests() / run.number("seconds") * 60);
                double pollers = median(runs, run -> run.number("pollers"));
                md.append(String.format("| %s | %.0f | %.1f | %.2f |%n", contender, pollers, perMinute,
                        perMinute / pollers));
            });
            md.append('\n');
        }
    }

    private static void produce(BenchmarkMain main, StringBuilder md) {
        for (String caseName : main.caseNames("produce")) {
            Map<String, List<Run>> byContender = group(main, "produce", caseName);
            List<Run> baseline = byContender.values().iterator().next();
            double baseRate = median(baseline, run -> run.number("msgPerSec"));
            double baseCpu = median(baseline, run -> run.number("cpuMicrosPerMessage"));
            md.append("### Producer: ").append(caseName.replace("produce ", "")).append(" messages sent after ")
                    .append(main.produceWarmupMessages).append(" warm-up messages in the same JVM, ")
                    .append(baseline.size()).append(" round(s)\n\n");
            md.append("Each contender in a fresh producer JVM on an empty queue. Raw: SendMessageBatch of 10, ")
                    .append(RawSendContender.IN_FLIGHT).append(" calls in flight (Sluice's default maxCallsInFlight);"
                            + " sendAll: the whole list in one call, Sluice's defaults; sendAsync: one thread keeping ")
                    .append(main.produceSenders).append(" sends outstanding. msg/s from the first send to the last"
                            + " acknowledgement; requests counted per HTTP attempt.\n\n");
            md.append("| contender | msg/s min / **median** / max | ×raw (medians) | CPU µs/msg median | ×raw |"
                    + " requests/msg | SendMessageBatch/msg | failed sends | queue holds what was sent | peak RSS MB |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|\n");
            byContender.forEach((contender, runs) -> {
                double rate = median(runs, run -> run.number("msgPerSec"));
                double cpu = median(runs, run -> run.number("cpuMicrosPerMessage"));
                long held = runs.stream().filter(Report::queueHoldsWhatWasSent).count();
                md.append(String.format("| %s | %s | %.2f | %.0f | %.2f | %.3f | %.3f | %.0f | %s | %.0f |%n",
                        contender, minMedMax(runs, run -> run.number("msgPerSec"), "%.0f"), rate / baseRate, cpu,
                        cpu / baseCpu, median(runs, run -> run.totalRequests() / run.number("messages")),
                        median(runs, run -> run.requests("SendMessageBatch") / run.number("messages")),
                        runs.stream().mapToDouble(run -> run.number("failed")).sum(),
                        held == runs.size() ? "yes (" + held + " of " + runs.size() + ")"
                                : "**no** in " + (runs.size() - held) + " of " + runs.size(),
                        median(runs, run -> run.number("rssHwmMb"))));
            });
            md.append('\n');
        }
    }

    /** The NMT figures of runs made with {@code --nmt}: committed MiB by category at the end of each run, medians. */
    private static void nativeMemory(BenchmarkMain main, StringBuilder md) {
        List<String> categories = new ArrayList<>(Resources.NMT_CATEGORIES);
        categories.addAll(List.of("rest", "total"));
        boolean header = false;
        for (Run first : main.runs) {
            if (!first.result().has("nmtCommittedMib") || first.round() != 1) {
                continue;
            }
            if (!header) {
                md.append("### Native memory of the consumer JVM (NMT summary, committed MiB at the end of the run,"
                        + " median of rounds) against peak RSS\n\n| scenario | contender | peak RSS MB (VmHWM) | peak"
                        + " live threads |");
                categories.forEach(category -> md.append(' ').append(category).append(" |"));
                md.append("\n|---|---|---|---|").append("---|".repeat(categories.size())).append('\n');
                header = true;
            }
            List<Run> runs = group(main, first.scenario(), first.caseName()).get(first.contender());
            md.append(String.format("| %s | %s | %.0f | %.0f |", first.caseName(), first.contender(),
                    median(runs, run -> run.number("rssHwmMb")), median(runs, run -> run.number("peakThreads"))));
            categories.forEach(category -> md.append(String.format(" %.1f |",
                    median(runs, run -> run.result().path("nmtCommittedMib").path(category).asDouble(Double.NaN)))));
            md.append('\n');
        }
        if (header) {
            md.append('\n');
        }
    }

    /** {@code value} without decimals when it is whole: 200, 12.5. */
    static String decimal(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** A producer run: the queue holds exactly the messages acknowledged to the producer, warm-up included. */
    private static boolean queueHoldsWhatWasSent(Run run) {
        return run.remaining() == (long) run.number("acknowledged");
    }

    static Map<String, List<Run>> group(BenchmarkMain main, String scenario, String caseName) {
        Map<String, List<Run>> byContender = new LinkedHashMap<>();
        for (Run run : main.runs) {
            if (run.scenario().equals(scenario) && run.caseName().equals(caseName) && !run.result().has("error")) {
                byContender.computeIfAbsent(run.contender(), ignored -> new ArrayList<>()).add(run);
            }
        }
        return byContender;
    }

    static double median(List<Run> runs, ToDoubleFunction<Run> metric) {
        double[] values = runs.stream().mapToDouble(metric).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    static String minMedMax(List<Run> runs, ToDoubleFunction<Run> metric, String format) {
        double min = runs.stream().mapToDouble(metric).min().orElse(Double.NaN);
        double max = runs.stream().mapToDouble(metric).max().orElse(Double.NaN);
        return String.format(format + " / **" + format + "** / " + format, min, median(runs, metric), max);
    }
}
