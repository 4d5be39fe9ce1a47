package io.sluice.runtime.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;

/** {@code queues}: each queue's depth and its dead-letter queue's. */
@Command(name = "queues", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Lists queues with their approximate depth: messages visible, in flight (received, not deleted)"
                + " and delayed, and the depth (visible messages) of the dead-letter queue named by each one's"
                + " RedrivePolicy. Costs one ListQueues and one GetQueueAttributes per queue; changes nothing.",
                "AGE OF OLDEST is always '-': SQS reports it only as the CloudWatch metric"
                        + " ApproximateAgeOfOldestMessage, and reading it from the queue would mean receiving (and so"
                        + " changing) messages."})
final class QueuesCommand extends SqsCommand {

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "only queues whose name starts with PREFIX")
    String prefix;

    @Option(names = "--json", description = "JSON instead of a table")
    boolean json;

    QueuesCommand(AdminContext context) {
        super(context);
    }

    /**
     * One queue's line.
     *
     * @param deadLetterVisible the DLQ's visible messages, {@code null} without a DLQ or when it cannot be read
     */
    record QueueRow(String queue, String url, long visible, long inFlight, long delayed, String deadLetterQueue,
            Long deadLetterVisible, int maxReceiveCount) {
    }

    @Override
    public Integer call() {
        try (SqsSession session = openSession()) {
            List<QueueStats> queues = stats(session, list(session));
            Map<String, QueueStats> byArn = new LinkedHashMap<>();
            queues.forEach(stats -> byArn.put(stats.arn(), stats));
            List<QueueRow> rows = new ArrayList<>();
            for (QueueStats stats : queues) {
                QueueStats dlq = stats.deadLetterArn() == null ? null
                        : byArn.computeIfAbsent(stats.deadLetterArn(), arn -> deadLetterQueue(session, stats, arn));
                String dlqName = stats.deadLetterArn() == null ? null : QueueRef.nameOfArn(stats.deadLetterArn());
                rows.add(new QueueRow(stats.queue().name(), stats.queue().url(), stats.visible(), stats.inFlight(),
                        stats.delayed(), dlqName, dlq == null ? null : dlq.visible(), stats.maxReceiveCount()));
            }
            print(rows);
        }
        return 0;
    }

    private List<QueueRef> list(SqsSession session) {
        List<QueueRef> queues = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            ListQueuesResponse page = session.call("ListQueues", session.client().listQueues(b -> b
                    .queueNamePrefix(prefix).maxResults(1000).nextToken(next)));
            page.queueUrls().forEach(url -> queues.add(QueueRef.ofUrl(url)));
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        queues.sort(Comparator.comparing(QueueRef::name));
        return queues;
    }

    /** Every queue's attributes, asked for all at once; a queue that cannot be read is left out with a warning. */
    private List<QueueStats> stats(SqsSession session, List<QueueRef> queues) {
        List<CompletableFuture<GetQueueAttributesResponse>> calls = new ArrayList<>();
        for (QueueRef queue : queues) {
            calls.add(session.client().getQueueAttributes(b -> b.queueUrl(queue.url())
                    .attributeNames(QueueStats.ATTRIBUTES)));
        }
        List<QueueStats> stats = new ArrayList<>();
        for (int i = 0; i < queues.size(); i++) {
            try {
                stats.add(QueueStats.of(queues.get(i), session.call("GetQueueAttributes", queues.get(i), calls.get(i))
                        .attributesAsStrings()));
            } catch (AdminException e) {
                context.warn(e.getMessage());
            }
        }
        return stats;
    }

    /** A DLQ not among the listed queues (another prefix, another account); {@code null}, with a warning, if unread. */
    private QueueStats deadLetterQueue(SqsSession session, QueueStats source, String arn) {
        try {
            QueueRef dlq = session.queueOfArn(arn);
            return QueueStats.of(dlq, session.attributes(dlq, QueueStats.ATTRIBUTES));
        } catch (AdminException e) {
            context.warn("the dead-letter queue of '" + source.queue().name() + "' cannot be read: " + e.getMessage());
            return null;
        }
    }


    private void print(List<QueueRow> rows) {
        if (json) {
            JsonOutput.print(context.out(), rows);
            return;
        }
        Table table = Table.of("QUEUE", "VISIBLE", "IN FLIGHT", "DELAYED", "AGE OF OLDEST*", "DLQ", "DLQ VISIBLE")
                .alignRight(1, 2, 3, 6);
        rows.forEach(row -> table.row(row.queue(), row.visible(), row.inFlight(), row.delayed(), null,
                row.deadLetterQueue(), row.deadLetterVisible()));
        table.print(context.out());
        context.out().println(rows.isEmpty() ? "(no queues" + (prefix == null ? "" : " starting with '" + prefix + "'")
                + ")" : "* not in SQS's API: see the CloudWatch metric ApproximateAgeOfOldestMessage");
        context.out().flush();
    }
}
