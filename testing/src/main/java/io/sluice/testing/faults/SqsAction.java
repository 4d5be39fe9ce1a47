package io.sluice.testing.faults;

import java.util.Optional;

/**
 * The SQS actions of {@link io.sluice.transport.SqsTransport}, one per method, by the name SQS gives them ({@link
 * #actionName()}), which is also the name in {@link io.sluice.SqsCallStats#action()} and in the {@code X-Amz-Target:
 * AmazonSQS.<action>} header of SQS's JSON protocol.
 */
public enum SqsAction {
    GET_QUEUE_URL("GetQueueUrl", false),
    CREATE_QUEUE("CreateQueue", false),
    GET_QUEUE_ATTRIBUTES("GetQueueAttributes", false),
    RECEIVE_MESSAGE("ReceiveMessage", false),
    DELETE_MESSAGE_BATCH("DeleteMessageBatch", true),
    CHANGE_MESSAGE_VISIBILITY_BATCH("ChangeMessageVisibilityBatch", true),
    SEND_MESSAGE_BATCH("SendMessageBatch", true);

    private final String actionName;
    private final boolean batch;

    SqsAction(String actionName, boolean batch) {
        this.actionName = actionName;
        this.batch = batch;
    }

    /** SQS's name of the action: {@code ReceiveMessage}, {@code DeleteMessageBatch}, ... */
    public String actionName() {
        return actionName;
    }

    /** Whether the action takes a batch of entries, each succeeding or failing on its own ({@link Fault#PARTIAL_BATCH}). */
    public boolean isBatch() {
        return batch;
    }

    /** The action SQS calls {@code actionName}, or empty for an action outside the transport's (or none). */
    public static Optional<SqsAction> named(String actionName) {
        for (SqsAction action : values()) {
            if (action.actionName.equals(actionName)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return actionName;
    }
}
