package io.sluice.runtime.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.model.ListDeadLetterSourceQueuesResponse;

/**
 * Where a dead-letter queue's messages go back to: the queue given with {@code --to}; else each message's source queue
 * as Sluice wrote it ({@code sluice.source-queue}); else the one queue whose RedrivePolicy names the DLQ.
 */
final class RedriveTargets {

    private final SqsSession session;
    private final QueueRef deadLetterQueue;
    private final QueueRef override;
    private final List<QueueRef> sources;

    private RedriveTargets(SqsSession session, QueueRef deadLetterQueue, QueueRef override, List<QueueRef> sources) {
        this.session = session;
        this.deadLetterQueue = deadLetterQueue;
        this.override = override;
        this.sources = sources;
    }

    /**
     * The targets of {@code deadLetterQueue}'s messages.
     *
     * @param to the queue given with {@code --to}, or {@code null}
     */
    static RedriveTargets of(SqsSession session, QueueRef deadLetterQueue, String to) {
        if (to != null) {
            return new RedriveTargets(session, deadLetterQueue, session.queue(to), List.of());
        }
        return new RedriveTargets(session, deadLetterQueue, null, sources(session, deadLetterQueue));
    }

    /** The queues whose RedrivePolicy names the DLQ ({@code ListDeadLetterSourceQueues}); none if not offered. */
    private static List<QueueRef> sources(SqsSession session, QueueRef deadLetterQueue) {
        List<QueueRef> sources = new ArrayList<>();
        String token = null;
        try {
            do {
                String next = token;
                ListDeadLetterSourceQueuesResponse page = session.call("ListDeadLetterSourceQueues", deadLetterQueue,
                        session.client().listDeadLetterSourceQueues(b -> b.queueUrl(deadLetterQueue.url())
                                .maxResults(1000).nextToken(next)));
                page.queueUrls().forEach(url -> sources.add(QueueRef.ofUrl(url)));
                token = page.nextToken();
            } while (token != null && !token.isEmpty());
        } catch (AdminException e) {
            if (!SqsErrors.unsupported(e.getCause())) {
                throw e;
            }
        }
        return List.copyOf(sources);
    }

    /**
     * The one queue that every message may be moved back to without reading them, as SQS's own move task does: the
     * DLQ's only source queue, when no {@code --to} was given.
     */
    Optional<QueueRef> soleSource() {
        return override == null && sources.size() == 1 ? Optional.of(sources.get(0)) : Optional.empty();
    }

    /**
     * Where {@code message} goes; empty when nothing tells ({@link #missing()} says why).
     *
     * @throws AdminException when its source queue cannot be found
     */
    Optional<QueueRef> of(DlqMessage message) {
        if (override != null) {
            return Optional.of(override);
        }
        Optional<String> source = message.sourceQueue();
        if (source.isPresent()) {
            return Optional.of(session.queue(source.get()));
        }
        return sources.size() == 1 ? Optional.of(sources.get(0)) : Optional.empty();
    }

    /** Why a message has no target, and what to do. */
    String missing() {
        return "it names no source queue (no sluice.source-queue attribute) and '" + deadLetterQueue.name()
                + "' is the dead-letter queue of " + (sources.isEmpty() ? "no queue (no RedrivePolicy names it)"
                        : sources.size() + " queues (" + String.join(", ", sources.stream().map(QueueRef::name)
                                .toList()) + ")") + ": give --to QUEUE";
    }
}
