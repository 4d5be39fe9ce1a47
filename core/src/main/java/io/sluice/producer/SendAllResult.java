package io.sluice.producer;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of each message of a {@link SqsProducer#sendAll}, in the order given. A message is reported as sent only
 * when SQS listed it as successful.
 */
public final class SendAllResult {

    private final String queue;
    private final List<SendOutcome> outcomes;

    SendAllResult(String queue, List<SendOutcome> outcomes) {
        this.queue = queue;
        this.outcomes = List.copyOf(outcomes);
    }

    /** Every message's outcome, by its index in the list given. */
    public List<SendOutcome> outcomes() {
        return outcomes;
    }

    /** The messages SQS accepted. */
    public List<SendOutcome.Sent> sent() {
        List<SendOutcome.Sent> sent = new ArrayList<>();
        outcomes.forEach(outcome -> {
            if (outcome instanceof SendOutcome.Sent one) {
                sent.add(one);
            }
        });
        return sent;
    }

    /** The messages not sent, each with why. */
    public List<SendOutcome.Failed> failed() {
        List<SendOutcome.Failed> failed = new ArrayList<>();
        outcomes.forEach(outcome -> {
            if (outcome instanceof SendOutcome.Failed one) {
                failed.add(one);
            }
        });
        return failed;
    }

    /** Whether SQS accepted every message. */
    public boolean allSent() {
        return outcomes.stream().allMatch(SendOutcome.Sent.class::isInstance);
    }

    /**
     * The message ids in the order given, when every message was sent.
     *
     * @throws SendFailedException when any was not: the first failure, naming how many failed in all
     */
    public List<String> messageIds() {
        throwIfAnyFailed();
        return outcomes.stream().map(outcome -> ((SendOutcome.Sent) outcome).result().messageId()).toList();
    }

    /**
     * Returns this when every message was sent.
     *
     * @throws SendFailedException naming how many of how many failed, with the first failure as its cause (the others
     *                             suppressed, up to ten)
     */
    public SendAllResult throwIfAnyFailed() {
        List<SendOutcome.Failed> failed = failed();
        if (failed.isEmpty()) {
            return this;
        }
        SendFailedException first = failed.get(0).error();
        SendFailedException summary = new SendFailedException(queue, failed.size() + " of " + outcomes.size()
                + " message(s) to queue '" + queue + "' were not sent; the first: " + first.getMessage(), first.code(),
                first.senderFault(), first.beforeRequest(), first);
        failed.stream().skip(1).limit(10).forEach(other -> summary.addSuppressed(other.error()));
        throw summary;
    }

    @Override
    public String toString() {
        return "SendAllResult{queue=" + queue + ", sent=" + (outcomes.size() - failed().size()) + ", failed="
                + failed().size() + '}';
    }
}
