package io.sluice.runtime.admin;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code purge}: deletes every message of a queue, once confirmed. */
@Command(name = "purge", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Deletes every message of a queue (PurgeQueue): visible, in flight and delayed. There is no"
                + " undo. Asks for the queue's name first unless --yes is given. SQS allows one purge per queue every"
                + " 60 seconds and may take up to 60 seconds to finish it."})
final class PurgeCommand extends SqsCommand {

    @Parameters(index = "0", paramLabel = "QUEUE", description = "the queue: name or URL")
    String queue;

    @Option(names = "--yes", description = "do not ask for confirmation")
    boolean yes;

    PurgeCommand(AdminContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        try (SqsSession session = openSession()) {
            QueueRef target = session.queue(queue);
            long count = QueueStats.of(target, session.attributes(target, QueueStats.ATTRIBUTES)).total();
            if (!yes && !confirmed(target, count)) {
                context.err().println("aborted: nothing purged");
                context.err().flush();
                return 1;
            }
            session.call("PurgeQueue", target, session.client().purgeQueue(b -> b.queueUrl(target.url())));
            context.out().println("purged '" + target.name() + "': its ~" + count + " messages are deleted within"
                    + " 60 seconds");
            context.out().flush();
            return 0;
        }
    }

    /** Asks on the error stream; only the queue's name (or what was given for it), typed back, confirms. */
    private boolean confirmed(QueueRef target, long count) throws IOException {
        context.err().print("Purge all ~" + count + " messages of " + target.name()
                + "? Type the queue name to confirm: ");
        context.err().flush();
        String answer = context.in().readLine();
        return answer != null && (answer.trim().equals(target.name()) || answer.trim().equals(queue));
    }
}
