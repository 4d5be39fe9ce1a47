package io.sluice;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a message, a queue or a breaker in a worker's pipeline. Every outcome the pipeline reaches
 * is published as one of these records, at one point, to the worker's {@link WorkerListener}s: logging, metrics, health
 * and the test kit subscribe here instead of being written into the pipeline.
 *
 * <p>Per message, the events follow its path: {@link Received}, then for each handler call {@link HandlerStarted} and
 * {@link Handled} or {@link Failed} (a failure may be followed by {@link Retried}), and finally exactly one way out:
 * {@link Deleted} (or {@link DeleteFailed}), {@link Redelivered}, {@link Released}, {@link DeadLettered} (or {@link
 * DeadLetterFailed}, then {@link Left}), or {@link Left}. {@link VisibilityExtended} may come at any time in between.
 */
public sealed interface WorkerEvent {

    /** An event about one delivery of one message: its queue, message id, handler and receive count. */
    sealed interface MessageEvent extends WorkerEvent {
        /** The delivery the event is about. */
        Delivery delivery();
    }

    /** Why a message went back to its queue unhandled, or handled but not deleted. */
    enum ReleaseReason {
        /** The worker is stopping: received, not started (or its in-process retry was pending). */
        STOPPING,
        /** Still running when the stop timeout ran out: cancelled. */
        CANCELLED,
        /** An earlier message of its FIFO group failed: later ones go back so that SQS keeps the group's order. */
        GROUP_STOPPED,
        /** Received by a receive that returned after the worker stopped, or beyond the slots asked for. */
        NOT_STARTED
    }

    /** A message was received and is now held by this worker (invisible, kept so by the heartbeat). */
    record Received(Delivery delivery) implements MessageEvent {
        public Received {
            Objects.requireNonNull(delivery, "delivery");
        }

    }

    /**
     * Handler call number {@code call} (1-based, per delivery) started for {@code delivery}; it waited {@code waited}
     * since it was received (for a slot's turn, its group's turn, a batch to fill, a thread), and {@code sinceSent}
     * since it was sent (its age when picked up, from {@code SentTimestamp}; {@code null} when unknown).
     */
    record HandlerStarted(Delivery delivery, int call, Duration waited, Duration sinceSent) implements MessageEvent {
    }

    /** The handler completed normally for {@code delivery} after {@code elapsed}; its delete follows. */
    record Handled(Delivery delivery, Duration elapsed) implements MessageEvent {
    }

    /**
     * The handler failed for {@code delivery}, or its arguments could not be bound ({@code cause} is then a {@link
     * MessageBindingException}); the queue's {@link RetryPolicy} decides what follows.
     */
    record Failed(Delivery delivery, Throwable cause) implements MessageEvent {
    }

    /** The handler is called again after its call number {@code call} failed with {@code cause}, in {@code delay}. */
    record Retried(Delivery delivery, int call, Throwable cause, Duration delay) implements MessageEvent {
    }

    /** The message was deleted from its queue after its handler succeeded (not after dead-lettering). */
    record Deleted(Delivery delivery) implements MessageEvent {
    }

    /**
     * The delete of a handled message failed for good (a stale or expired receipt handle, or retries spent): it will
     * be delivered again, a duplicate, never a loss.
     */
    record DeleteFailed(Delivery delivery, Throwable cause) implements MessageEvent {
    }

    /** After a failed delivery, the message was made invisible for {@code backoff}; SQS delivers it again then. */
    record Redelivered(Delivery delivery, Duration backoff, Throwable cause) implements MessageEvent {
    }

    /** The message was made visible again at once, for {@code reason}; it was not a failure of its own. */
    record Released(Delivery delivery, ReleaseReason reason) implements MessageEvent {
    }

    /**
     * The message is not due yet (it was scheduled for {@code due}, beyond SQS's 15-minute delay): its handler was not
     * called and it was put back, either invisible for {@code hold} ({@code resent} false: the same message comes back)
     * or sent again to its queue with a delay of {@code hold} and then deleted ({@code resent} true: a new message, with
     * a fresh receive count). Not a failure.
     */
    record Postponed(Delivery delivery, Instant due, Duration hold, boolean resent) implements MessageEvent {
    }

    /**
     * Nothing more is done with the message: SQS delivers it again after its visibility timeout (and may move it with
     * its RedrivePolicy). {@code reason} says why (no dead-letter queue known, a release that failed, a dead-letter
     * send that failed, SQS's 12-hour limit); {@code cause} is the failure behind it, or {@code null}.
     */
    record Left(Delivery delivery, String reason, Throwable cause) implements MessageEvent {
    }

    /**
     * The message was sent to {@code deadLetterQueue} with {@code cause} as its reason; its delete follows. {@code
     * reason} says why it was dead-lettered, starting with {@code poison} or {@code attempts exhausted}.
     */
    record DeadLettered(Delivery delivery, String deadLetterQueue, Throwable cause, String reason)
            implements MessageEvent {
    }

    /** Sending the message to {@code deadLetterQueue} failed ({@code error}); it stays on its queue and comes back. */
    record DeadLetterFailed(Delivery delivery, String deadLetterQueue, Throwable error) implements MessageEvent {
    }

    /** The heartbeat made the message invisible for {@code visibility} more, while its handler runs or it waits. */
    record VisibilityExtended(Delivery delivery, Duration visibility) implements MessageEvent {
    }

    /** A receive from {@code queue} failed ({@code consecutive} in a row); the poller tries again after {@code backoff}. */
    record ReceiveFailed(String queue, Throwable cause, int consecutive, Duration backoff) implements WorkerEvent {
    }

    /**
     * A message of FIFO group {@code groupId} failed and will come back: {@code released} later messages of the group
     * that this worker held were released unhandled, so that SQS delivers the group again in order.
     */
    record GroupStopped(String queue, String groupId, Delivery failed, int released) implements WorkerEvent {
    }

    /** A batch handler call over {@code size} messages ended after {@code elapsed}; {@code failed} of them failed. */
    record BatchHandled(String queue, String handler, int size, int failed, Duration elapsed) implements WorkerEvent {
    }

    /** The circuit breaker {@code breaker} went from {@code from} to {@code to}. */
    record CircuitStateChanged(String breaker, CircuitState from, CircuitState to) implements WorkerEvent {
    }

    /**
     * The adaptive concurrency limit of {@code queue} moved from {@code from} to {@code to} calls at once (see {@link
     * AdaptiveConcurrencyPolicy}). Published at most once a second per queue, from the value last published: the limit
     * itself may move every few calls.
     */
    record ConcurrencyLimitChanged(String queue, int from, int to) implements WorkerEvent {
    }
}
