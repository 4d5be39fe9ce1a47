package io.sluice.runtime.admin;

import io.sluice.DeadLetterReason;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dlq redrive}: moves a dead-letter queue's messages back to where they came from. */
@Command(name = "redrive", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Moves messages of a dead-letter queue back to their source queue: the one Sluice wrote on each"
                + " (sluice.source-queue), else the only queue whose RedrivePolicy names the DLQ, else --to.",
                "Without a filter, --max, --dry-run or --to, and when the DLQ has exactly one source queue, SQS moves"
                        + " them itself (StartMessageMoveTask; every attribute kept, Sluice's reason too). Otherwise,"
                        + " or when the server does not offer that, the CLI receives, sends, then deletes each one (a"
                        + " crash duplicates a message, never loses it): the copy has the same body, attributes"
                        + " as they were before it was dead-lettered (without Sluice's reason), and message group; on a"
                        + " FIFO queue a new deduplication id"
                        + " (redrive-<DLQ message id>). Each message read has its receive count raised by one;"
                        + " those left stay invisible while the run lasts and are made visible again at its end."})
final class DlqRedriveCommand extends SqsCommand {

    private static final int TABLE_ERROR_MESSAGE = 80;

    @Parameters(index = "0", paramLabel = "QUEUE", description = "the dead-letter queue: name or URL")
    String queue;

    @Option(names = "--filter-exception", paramLabel = "CLASS",
            description = "only messages that failed with this exception: its class name, or simple name without a"
                    + " package; others stay in the DLQ")
    String exceptionClass;

    @Option(names = "--max", paramLabel = "N", description = "at most N messages")
    Integer max;

    @Option(names = "--dry-run", description = "list what would move, move nothing")
    boolean dryRun;

    @Option(names = "--to", paramLabel = "QUEUE", description = "move every message to QUEUE instead")
    String to;

    @Option(names = "--client-side", description = "receive, send, delete even when SQS could move the messages"
            + " itself (the copies then lose Sluice's reason attributes)")
    boolean clientSide;

    DlqRedriveCommand(AdminContext context) {
        super(context);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (max != null) {
            Arguments.positive(spec, "--max", max);
        }
        try (SqsSession session = openSession()) {
            QueueRef dlq = session.queue(queue);
            long depth = QueueStats.of(dlq, session.attributes(dlq, QueueStats.ATTRIBUTES)).visible();
            RedriveTargets targets = RedriveTargets.of(session, dlq, to);
            MoveReport report = null;
            Optional<QueueRef> sole = targets.soleSource();
            if (exceptionClass == null && max == null && !dryRun && !clientSide && sole.isPresent()) {
                report = new ServerMove(session, context).run(dlq, sole.get(), depth).orElse(null);
            }
            if (report == null) {
                report = new ClientMove(session, context).run(new ClientMove.Request(dlq, targets, exceptionClass,
                        max == null ? Integer.MAX_VALUE : max, dryRun, depth));
            }
            print(dlq, report);
            return report.complete() ? 0 : 1;
        }
    }

    private void print(QueueRef dlq, MoveReport report) {
        if (dryRun) {
            Table table = Table.of("MESSAGE ID", "TO", "EXCEPTION", "ERROR MESSAGE");
            for (MoveReport.Planned planned : report.planned()) {
                DlqMessage message = planned.message();
                table.row(message.messageId(), planned.target().name(),
                        message.reason().map(DeadLetterReason::errorClass).orElse(null),
                        Table.shorten(message.reason().map(DeadLetterReason::errorMessage).orElse(null),
                                TABLE_ERROR_MESSAGE));
            }
            table.print(context.out());
            context.out().println("dry run: " + messages(report.moved()) + " would move from '" + dlq.name()
                    + "'; nothing moved");
        } else {
            context.out().println("moved " + messages(report.moved()) + " from '" + dlq.name() + "' " + report.how());
        }
        if (report.unmatched() > 0) {
            context.out().println("left " + messages(report.unmatched()) + " that did not fail with " + exceptionClass);
        }
        if (report.failed() > 0) {
            context.out().println(messages(report.failed()) + " could not be moved (see the warnings above)");
        }
        if (report.withoutTarget() > 0) {
            context.out().println("left " + messages(report.withoutTarget()) + " with no queue to go back to: give"
                    + " --to QUEUE");
        }
        context.out().flush();
    }

    private static String messages(long count) {
        return count + (count == 1 ? " message" : " messages");
    }
}
