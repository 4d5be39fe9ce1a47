package io.sluice.runtime.admin;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Moves a dead-letter queue's messages back with SQS's own move task ({@code StartMessageMoveTask}), then follows it
 * ({@code ListMessageMoveTasks}) until it ends. SQS moves each message as it is, every attribute kept (Sluice's reason
 * too: a worker replaces it if the message is dead-lettered again); a FIFO message gets its message id as new
 * deduplication id. The task runs on the server: stopping the CLI does not stop it.
 */
final class ServerMove {

    /** How often the task's progress is asked for. */
    static final Duration POLL = Duration.ofSeconds(1);

    private final SqsSession session;
    private final AdminContext context;

    ServerMove(SqsSession session, AdminContext context) {
        this.session = session;
        this.context = context;
    }

    /**
     * Moves every message of {@code deadLetterQueue} to {@code target} and waits for the task to end.
     *
     * @param approximate the DLQ's depth before, for the progress line
     * @return what moved; empty, with a line saying why, when the server moved nothing: it does not offer message move
     *         tasks, or its task ended without moving any of the messages there were
     * @throws AdminException when the task cannot start, fails or is cancelled
     */
    Optional<MoveReport> run(QueueRef deadLetterQueue, QueueRef target, long approximate) throws InterruptedException {
        String sourceArn = arn(deadLetterQueue);
        String targetArn = arn(target);
        String handle;
        try {
            // The destination is always named: SQS (and ElasticMQ) know the source only of messages their own
            // redrive moved, and Sluice sends its dead letters itself.
            handle = session.call("StartMessageMoveTask", deadLetterQueue, session.client().startMessageMoveTask(b -> b
                    .sourceArn(sourceArn).destinationArn(targetArn))).taskHandle();
        } catch (AdminException e) {
            if (SqsErrors.unsupported(e.getCause())) {
                context.err().println("the server does not offer StartMessageMoveTask: moving by receive, send,"
                        + " delete");
                return Optional.empty();
            }
            throw e;
        }
        Progress progress = new Progress(context.err(), context.clock());
        while (true) {
            List<ListMessageMoveTasksResultEntry> tasks;
            try {
                tasks = session.call("ListMessageMoveTasks", deadLetterQueue, session.client()
                        .listMessageMoveTasks(b -> b.sourceArn(sourceArn).maxResults(10))).results();
            } catch (AdminException e) {
                if (SqsErrors.unsupported(e.getCause())) {
                    context.err().println("move task " + handle + " started; the server does not report its progress"
                            + " (ListMessageMoveTasks): watch the depth of '" + deadLetterQueue.name() + "'");
                    return Optional.of(new MoveReport(approximate, 0, 0, 0, List.of(), "to '" + target.name()
                            + "' by StartMessageMoveTask " + handle + ", still running"));
                }
                throw e;
            }
            // The newest task first; SQS gives a task's handle only while it runs.
            ListMessageMoveTasksResultEntry task = tasks.stream().filter(t -> handle.equals(t.taskHandle())).findFirst()
                    .orElse(tasks.isEmpty() ? null : tasks.get(0));
            if (task == null) {
                throw new AdminException("move task " + handle + " of queue '" + deadLetterQueue.name()
                        + "' is not listed by ListMessageMoveTasks");
            }
            long moved = orZero(task.approximateNumberOfMessagesMoved());
            long toMove = task.approximateNumberOfMessagesToMove() != null ? task.approximateNumberOfMessagesToMove()
                    : approximate;
            switch (task.status() == null ? "RUNNING" : task.status()) {
                case "COMPLETED":
                    if (moved == 0 && approximate > 0) {
                        // ElasticMQ 1.7.1 completes a task on a FIFO DLQ this way, moving nothing.
                        context.err().println("the server's move task " + handle + " moved none of the ~"
                                + approximate + " messages of '" + deadLetterQueue.name() + "': moving them by"
                                + " receive, send, delete");
                        return Optional.empty();
                    }
                    return Optional.of(new MoveReport(moved, 0, 0, 0, List.of(), "to '" + target.name()
                            + "' by StartMessageMoveTask"));
                case "FAILED":
                    throw new AdminException("move task " + handle + " from '" + deadLetterQueue.name() + "' to '"
                            + target.name() + "' failed after moving " + moved + ": " + task.failureReason());
                case "CANCELLED":
                    throw new AdminException("move task " + handle + " from '" + deadLetterQueue.name() + "' to '"
                            + target.name() + "' was cancelled after moving " + moved);
                default:
                    progress.report(() -> "moved " + Progress.count(moved, toMove) + " from '"
                            + deadLetterQueue.name() + "' to '" + target.name() + "' (task " + handle + ")");
                    context.pause().pause(POLL);
            }
        }
    }

    private String arn(QueueRef queue) {
        String arn = session.attributes(queue, List.of(QueueAttributeName.QUEUE_ARN))
                .get(QueueAttributeName.QUEUE_ARN.toString());
        if (arn == null) {
            throw new AdminException("queue '" + queue.name() + "' has no QueueArn attribute");
        }
        return arn;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
