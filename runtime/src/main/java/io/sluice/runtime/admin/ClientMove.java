package io.sluice.runtime.admin;

import io.sluice.producer.OutgoingMessage;
import io.sluice.producer.SendAllResult;
import io.sluice.producer.SendOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moves a dead-letter queue's messages back by receiving, sending and then deleting them: each message is deleted from
 * the DLQ only once SQS accepted its copy, so a crash or a failed delete duplicates a message, never loses one.
 *
 * <p>The copy starts afresh: the same body, the message attributes it had before it was dead-lettered (without Sluice's
 * reason; {@link io.sluice.DeadLetterReason#originalAttributes}), the same message group;
 * to a FIFO queue with a new deduplication id of its own ({@link DlqMessage#redriveDeduplicationId()}). Sends go
 * through the {@link io.sluice.producer.SqsProducer}, so a FIFO group reaches its queue in the order received. Messages
 * left alone (not matching the filter, no target, a failed send) stay invisible while the run lasts, so that it gets
 * past them, and are made visible again when it ends.
 */
final class ClientMove {

    /** How long a received message stays invisible if the run dies before it is moved or made visible again. */
    static final int HOLD_SECONDS = 120;

    private final SqsSession session;
    private final AdminContext context;

    ClientMove(SqsSession session, AdminContext context) {
        this.session = session;
        this.context = context;
    }

    /**
     * What to move.
     *
     * @param deadLetterQueue the DLQ
     * @param targets         where each message goes
     * @param exceptionClass  only messages whose reason names this exception ({@link DlqMessage#failedWith}), or
     *                        {@code null} for all
     * @param max             at most this many
     * @param dryRun          list them, move nothing
     * @param approximate     the DLQ's depth before, for the progress line
     */
    record Request(QueueRef deadLetterQueue, RedriveTargets targets, String exceptionClass, int max, boolean dryRun,
            long approximate) {
    }

    MoveReport run(Request request) {
        QueueRef dlq = request.deadLetterQueue();
        Progress progress = new Progress(context.err(), context.clock());
        Tally tally = new Tally();
        try (DlqScan scan = new DlqScan(session, dlq, HOLD_SECONDS, context::warn)) {
            while (tally.matched < request.max()) {
                List<DlqMessage> batch = scan.next(request.max() - tally.matched);
                if (batch.isEmpty()) {
                    break;
                }
                Map<QueueRef, List<DlqMessage>> moves = sort(request, batch, tally);
                if (request.dryRun()) {
                    continue;
                }
                for (Map.Entry<QueueRef, List<DlqMessage>> move : moves.entrySet()) {
                    int sent = send(scan, dlq, move.getKey(), move.getValue());
                    tally.moved += sent;
                    tally.failed += move.getValue().size() - sent;
                }
                long done = tally.moved;
                progress.report(() -> "moved " + Progress.count(done, Math.min(request.approximate(), request.max()))
                        + " from '" + dlq.name() + "'");
            }
        }
        return new MoveReport(request.dryRun() ? tally.matched : tally.moved, tally.failed, tally.unmatched,
                tally.withoutTarget, tally.planned, "by receive, send, delete");
    }

    /** What a run has counted so far. */
    private static final class Tally {
        int matched;
        int moved;
        int failed;
        int unmatched;
        int withoutTarget;
        final List<MoveReport.Planned> planned = new ArrayList<>();
    }

    /** The messages of {@code batch} to move, by target; those left alone are counted in {@code tally}. */
    private Map<QueueRef, List<DlqMessage>> sort(Request request, List<DlqMessage> batch, Tally tally) {
        QueueRef dlq = request.deadLetterQueue();
        Map<QueueRef, List<DlqMessage>> moves = new LinkedHashMap<>();
        for (DlqMessage message : batch) {
            if (request.exceptionClass() != null && !message.failedWith(request.exceptionClass())) {
                tally.unmatched++;
                continue;
            }
            Optional<QueueRef> target;
            try {
                target = request.targets().of(message);
            } catch (AdminException e) {
                context.warn("message " + message.messageId() + " of '" + dlq.name() + "' stays: " + e.getMessage());
                tally.failed++;
                continue;
            }
            if (target.isEmpty()) {
                if (tally.withoutTarget++ == 0) {
                    context.warn("message " + message.messageId() + " of '" + dlq.name() + "' stays: "
                            + request.targets().missing());
                }
                continue;
            }
            tally.matched++;
            if (request.dryRun()) {
                tally.planned.add(new MoveReport.Planned(message, target.get()));
            }
            moves.computeIfAbsent(target.get(), queue -> new ArrayList<>()).add(message);
        }
        return moves;
    }

    /**
     * Sends copies of {@code messages} to {@code target}, then deletes from the DLQ those SQS accepted.
     *
     * @return how many were moved (sent and deleted)
     */
    private int send(DlqScan scan, QueueRef dlq, QueueRef target, List<DlqMessage> messages) {
        List<OutgoingMessage> copies = messages.stream().map(message -> copy(message, target)).toList();
        SendAllResult result = session.producer().sendAll(target.url(), copies);
        List<DlqMessage> sent = new ArrayList<>();
        for (SendOutcome outcome : result.outcomes()) {
            DlqMessage message = messages.get(outcome.index());
            if (outcome instanceof SendOutcome.Failed failure) {
                context.warn("message " + message.messageId() + " of '" + dlq.name() + "' stays: it was not sent to '"
                        + target.name() + "': " + failure.error().getMessage());
            } else {
                sent.add(message);
            }
        }
        Map<String, String> notDeleted = scan.delete(sent);
        notDeleted.forEach((id, why) -> context.warn("message " + id + " was sent to '" + target.name() + "' but not"
                + " deleted from '" + dlq.name() + "' (" + why + "): it is in both queues now"));
        return sent.size() - notDeleted.size();
    }

    /** The copy of {@code message} that goes back to {@code target}. */
    static OutgoingMessage copy(DlqMessage message, QueueRef target) {
        OutgoingMessage copy = OutgoingMessage.of(message.body());
        for (var attribute : message.ownAttributes().entrySet()) {
            copy = copy.attribute(attribute.getKey(), attribute.getValue());
        }
        if (message.groupId() != null) {
            copy = copy.group(message.groupId());
        } else if (target.isFifo()) {
            copy = copy.group(message.messageId());
        }
        return target.isFifo() ? copy.deduplicationId(message.redriveDeduplicationId()) : copy;
    }
}
