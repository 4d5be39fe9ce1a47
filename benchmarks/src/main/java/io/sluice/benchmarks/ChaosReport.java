package io.sluice.benchmarks;

import io.sluice.testing.faults.FaultCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** A chaos run's figures as Markdown: the table docs/RELIABILITY.md quotes. */
final class ChaosReport {

    private ChaosReport() {
    }

    static String render(ChaosMain options, ChaosAudit.Figures figures, int kills, Duration wallTime,
            double requestsPerMessage, FaultCounts faults) {
        StringBuilder out = new StringBuilder();
        out.append("# Chaos run ").append(Instant.now()).append("\n\n");
        out.append(String.format(Locale.ROOT, "%d orders (%d poison), %d worker processes, SIGKILL every %s"
                        + " (%d kills), %.0f %% of handler calls failing, %.1f %% of SQS calls failed by the proxy"
                        + " (%.0f %% of those lost responses), a downstream outage of %s, maxReceiveCount %d; %s, %d"
                        + " cores, Java %s.%n%n",
                figures.sent(), figures.poison(), options.workers, options.killEvery, kills,
                options.failureRate * 100, options.sqsFaultRate * 100, options.lostShare * 100, options.outage,
                options.maxReceiveCount,
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        int duplicates = figures.duplicates().values().stream().mapToInt(Integer::intValue).sum();
        out.append("| figure | value |\n|---|---|\n");
        row(out, "sent", figures.sent());
        row(out, "handled at least once (orders)", figures.handledAtLeastOnce());
        row(out, "**lost**", figures.lost().size());
        row(out, "handled more than once", duplicates);
        for (Map.Entry<String, Integer> cause : figures.duplicates().entrySet()) {
            row(out, "&nbsp;&nbsp;" + cause.getKey(), cause.getValue());
        }
        row(out, "dead-lettered (messages)", figures.deadLettered());
        row(out, "&nbsp;&nbsp;poison, with Sluice's reason", figures.poisonDeadLetteredWithReason());
        row(out, "&nbsp;&nbsp;anything else", figures.unexpectedDeadLetters().size());
        long withoutReason = figures.unexpectedDeadLetters().stream().filter(line -> line.contains("no reason")).count();
        row(out, "&nbsp;&nbsp;&nbsp;&nbsp;of which moved by SQS's redrive policy, without a reason (receives spent"
                + " by kills and lost responses)", withoutReason);
        row(out, "second copies in the DLQ (a dead-letter send retried after a lost response)",
                figures.extraDeadLetterCopies());
        row(out, "**left in the queue (visible, in flight or delayed)**", figures.left());
        out.append(String.format(Locale.ROOT, "| SQS requests per message (through the proxy, SDK retries"
                + " included) | %.3f |%n", requestsPerMessage));
        out.append("| wall time (workers' start to empty queue) | ").append(wallTime.toSeconds()).append(" s |\n\n");
        if (!figures.lost().isEmpty()) {
            out.append("Lost: ").append(figures.lost().subList(0, Math.min(20, figures.lost().size()))).append("\n\n");
        }
        if (!figures.unexpectedDeadLetters().isEmpty()) {
            out.append("Dead-lettered besides the poison:\n");
            figures.unexpectedDeadLetters().stream().limit(20).forEach(line -> out.append("- ").append(line)
                    .append('\n'));
            out.append('\n');
        }
        out.append("Faults the proxy injected:\n\n```\n").append(faults.report().stripTrailing()).append("\n```\n");
        return out.toString();
    }

    private static void row(StringBuilder out, String name, long value) {
        out.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }
}
