package io.sluice.runtime.admin;

import io.sluice.DeadLetterReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dlq peek}: a dead-letter queue's messages with the reason Sluice wrote on each. */
@Command(name = "peek", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Shows messages of a dead-letter queue and why Sluice dead-lettered each: exception class and"
                + " message, handler, attempts, first and last failure, source queue.",
                "Reading a message means receiving it: each one shown has its ApproximateReceiveCount raised by one."
                        + " They are kept invisible while the command reads and made visible again at once when it"
                        + " ends (on a FIFO queue a group's later messages wait meanwhile); nothing is deleted."})
final class DlqPeekCommand extends SqsCommand {

    /** How long a message read stays invisible if the command dies before making it visible again. */
    private static final int HOLD_SECONDS = 30;
    private static final int TABLE_ERROR_MESSAGE = 120;

    @Parameters(index = "0", paramLabel = "QUEUE", description = "the dead-letter queue: name or URL")
    String queue;

    @Option(names = "--max", paramLabel = "N", defaultValue = "10", description = "at most N messages (default 10)")
    int max;

    @Option(names = "--json", description = "JSON instead of a table")
    boolean json;

    @Option(names = "--body", description = "show each message's body too")
    boolean body;

    DlqPeekCommand(AdminContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        Arguments.positive(spec, "--max", max);
        List<DlqMessage> messages = new ArrayList<>();
        try (SqsSession session = openSession();
                DlqScan scan = new DlqScan(session, session.queue(queue), HOLD_SECONDS, context::warn)) {
            while (messages.size() < max) {
                List<DlqMessage> next = scan.next(max - messages.size());
                if (next.isEmpty()) {
                    break;
                }
                messages.addAll(next);
            }
        }
        print(messages);
        context.err().println(messages.size() + (messages.size() == 1 ? " message" : " messages") + " of '" + queue
                + "' shown; each received once to read it (receive count +1), all visible again");
        context.err().flush();
        return 0;
    }

    private void print(List<DlqMessage> messages) {
        if (json) {
            JsonOutput.print(context.out(), messages.stream().map(message -> message.toJson(body)).toList());
            return;
        }
        List<String> headers = new ArrayList<>(List.of("MESSAGE ID", "SENT", "RECEIVES", "SOURCE",
                "HANDLER", "ATTEMPTS", "FIRST FAILURE", "LAST FAILURE", "EXCEPTION", "ERROR MESSAGE"));
        if (body) {
            headers.add("BODY");
        }
        Table table = Table.of(headers.toArray(String[]::new)).alignRight(2, 5);
        for (DlqMessage message : messages) {
            DeadLetterReason reason = message.reason().orElse(null);
            List<Object> cells = new ArrayList<>(Arrays.asList(message.messageId(), message.sentAt(),
                    message.receiveCount()));
            if (reason == null) {
                cells.addAll(Collections.nCopies(6, null));
                cells.add("(no Sluice reason on this message)");
            } else {
                cells.addAll(Arrays.asList(reason.sourceQueue(), reason.handler(), reason.attempts(),
                        reason.firstFailure(), reason.lastFailure(), reason.errorClass(),
                        Table.shorten(reason.errorMessage(), TABLE_ERROR_MESSAGE)));
            }
            if (body) {
                cells.add(message.body());
            }
            table.row(cells.toArray());
        }
        table.print(context.out());
    }
}
