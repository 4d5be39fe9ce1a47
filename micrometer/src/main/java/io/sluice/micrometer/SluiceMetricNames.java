package io.sluice.micrometer;

/**
 * Every meter name and tag key Sluice registers, in one place (as Prometheus shows them: dots become underscores, and
 * counters end in {@code _total}). Every meter has the tag {@value #QUEUE}; handler meters also {@value #HANDLER}. No
 * tag takes an unbounded value: never a message id, a group id or an error message.
 */
public final class SluiceMetricNames {

    // ---- counters, from the worker's events ----
    /** Messages received (a batch receive counts each message). */
    public static final String RECEIVED = "sluice.messages.received";
    /** Messages whose handler completed normally. */
    public static final String HANDLED = "sluice.messages.handled";
    /** Handler calls that failed, tagged {@value #EXCEPTION}. */
    public static final String FAILED = "sluice.messages.failed";
    /** Handler calls tried again in process, after a failed call. */
    public static final String RETRIED = "sluice.messages.retried";
    /** Deliveries that failed and were made invisible for a back-off, to come back. */
    public static final String REDELIVERED = "sluice.messages.redelivered";
    /** Messages sent to the dead-letter queue, tagged {@value #REASON} ({@value #POISON} or {@value #EXHAUSTED}). */
    public static final String DEAD_LETTERED = "sluice.messages.dead.lettered";
    /** Handled messages deleted from their queue. */
    public static final String DELETED = "sluice.messages.deleted";
    /** Messages made visible again unhandled (a stop, a cancelled call, an open breaker, a stopped group). */
    public static final String RELEASED = "sluice.messages.released";
    /** Scheduled messages received before their due time and put back. */
    public static final String POSTPONED = "sluice.messages.postponed";
    /** Deletes that failed for good (the message comes back: a duplicate, never a loss). */
    public static final String DELETE_FAILURES = "sluice.delete.failures";
    /** Receives that failed. */
    public static final String RECEIVE_FAILURES = "sluice.receive.failures";

    // ---- from the worker's SQS calls ----
    /** SQS requests made, tagged {@value #ACTION}: what SQS bills. */
    public static final String SQS_REQUESTS = "sluice.sqs.requests";
    /** SQS requests that failed as a whole, tagged {@value #ACTION}. */
    public static final String SQS_REQUEST_FAILURES = "sluice.sqs.request.failures";
    /** How long SQS requests took, tagged {@value #ACTION} (a receive's long-poll wait included). */
    public static final String SQS_REQUEST_DURATION = "sluice.sqs.request.duration";

    // ---- timers ----
    /** How long the handler took, for calls that completed normally. */
    public static final String HANDLER_DURATION = "sluice.handler.duration";
    /** A message's age when its handler started, from its {@code SentTimestamp}. */
    public static final String MESSAGE_AGE = "sluice.message.age";
    /** How long a message waited between its receipt and its handler's start (a slot, its group's turn, a batch). */
    public static final String MESSAGE_WAIT = "sluice.message.wait";

    // ---- gauges ----
    /** Messages this worker holds: received and not yet settled. */
    public static final String IN_FLIGHT = "sluice.messages.in.flight";
    /** Handler calls running now. */
    public static final String HANDLERS_RUNNING = "sluice.handlers.running";
    /** The state of the breaker guarding the queue's handler: 0 closed, 1 half-open, 2 open (absent: no breaker). */
    public static final String CIRCUIT_STATE = "sluice.circuit.state";
    /** The queue's receive rate limit in messages per second ({@code maxMessagesPerSecond}); 0: none. */
    public static final String RECEIVE_RATE_LIMIT = "sluice.receive.rate.limit";
    /** Handler calls the queue allows at once now: its fixed concurrency, or its adaptive limit's current value. */
    public static final String CONCURRENCY_LIMIT = "sluice.concurrency.limit";
    /** The queue's messages as SQS counts them, sampled on an interval, tagged {@value #STATE}. */
    public static final String QUEUE_MESSAGES = "sluice.queue.messages";
    /** The oldest message age seen at a handler's start since the last sample interval began. */
    public static final String OLDEST_MESSAGE_AGE = "sluice.queue.oldest.message.age";

    // ---- tag keys and values ----
    public static final String QUEUE = "queue";
    public static final String HANDLER = "handler";
    /** The failure's class, simple name. */
    public static final String EXCEPTION = "exception";
    public static final String REASON = "reason";
    public static final String POISON = "poison";
    public static final String EXHAUSTED = "exhausted";
    /** A dead-letter reason that is neither poison nor exhausted attempts. */
    public static final String OTHER = "other";
    public static final String ACTION = "action";
    /** For {@value #QUEUE_MESSAGES}: {@value #VISIBLE}, {@value #NOT_VISIBLE} or {@value #DELAYED}. */
    public static final String STATE = "state";
    public static final String VISIBLE = "visible";
    public static final String NOT_VISIBLE = "not_visible";
    public static final String DELAYED = "delayed";

    private SluiceMetricNames() {
    }
}
