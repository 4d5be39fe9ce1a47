package io.sluice.internal.polling;

import io.sluice.time.Scheduler;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * One long-polling loop over one queue: take free handler slots, receive at most that many messages, hand them on, and
 * go again. It never blocks a thread: each step continues on the completion of the one before. A queue has one or more
 * pollers sharing its {@link Permits}.
 *
 * <p>Once it holds free slots, and just before each receive, the poller asks its {@link ReceiveGate} how many messages
 * it may receive (a circuit breaker that is open holds it there, without receiving). Receive failures are retried
 * after an exponential back-off (200 ms doubling to 10 s, with jitter) on the injected {@link Scheduler}. After {@link
 * #stop()}, no new receive starts and the open long poll is abandoned; messages that a receive returns after the stop
 * are passed to the {@code onLate} sink (which makes them visible again), never dropped.
 */
public final class QueuePoller {

    private static final Logger LOG = LoggerFactory.getLogger(QueuePoller.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /**
     * The system attributes the pipeline itself reads: the receive count (Delivery, back-off, max attempts), the first
     * receive time (visibility's 12 h cap, dead-letter metadata), and a FIFO message's group and deduplication ids
     * (kept when it is dead-lettered).
     */
    private static final List<MessageSystemAttributeName> PIPELINE_ATTRIBUTES = List.of(
            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
            MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP,
            MessageSystemAttributeName.MESSAGE_GROUP_ID,
            MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID);
    /**
     * How long a poller waiting for its minimum batch tolerates free slots sitting unused while no other slot comes back,
     * before it receives into whatever is free (a slot held by a long handler must not stall the poller).
     */
    static final Duration BATCH_WAIT = Duration.ofMillis(100);

    private final String queue;
    private final String queueUrl;
    private final int id;
    private final SqsTransport transport;
    private final Permits permits;
    private final Scheduler scheduler;
    private final int minMessages;
    private final boolean allAttributes;
    private final int maxMessages;
    private final int waitSeconds;
    private final Integer visibilitySeconds;
    private final Consumer<Message> sink;
    private final Consumer<List<Message>> onLate;
    private final ReceiveGate gate;
    private final AtomicInteger wip = new AtomicInteger();

    private volatile boolean running;
    private volatile CompletableFuture<?> pending;
    private volatile CompletableFuture<?> receiving;
    private volatile Scheduler.Cancellable backoffTask;
    private int consecutiveFailures;

    public QueuePoller(String queue, String queueUrl, int id, SqsTransport transport, Permits permits,
            Scheduler scheduler, int maxMessages, Duration waitTime, Duration visibilityTimeout,
            Consumer<Message> sink, Consumer<List<Message>> onLate) {
        this(queue, queueUrl, id, transport, permits, scheduler, 1, maxMessages, waitTime, visibilityTimeout, true,
                sink, onLate, ReceiveGate.always());
    }

    /**
     * @param gate consulted before each receive (a circuit breaker holds the poller while open)
     */
    public QueuePoller(String queue, String queueUrl, int id, SqsTransport transport, Permits permits,
            Scheduler scheduler, int maxMessages, Duration waitTime, Duration visibilityTimeout,
            Consumer<Message> sink, Consumer<List<Message>> onLate, ReceiveGate gate) {
        this(queue, queueUrl, id, transport, permits, scheduler, 1, maxMessages, waitTime, visibilityTimeout, true,
                sink, onLate, gate);
    }

    /** A full-batch poller (see below) that every gate admits. */
    public QueuePoller(String queue, String queueUrl, int id, SqsTransport transport, Permits permits,
            Scheduler scheduler, int minMessages, int maxMessages, Duration waitTime, Duration visibilityTimeout,
            boolean allAttributes, Consumer<Message> sink, Consumer<List<Message>> onLate) {
        this(queue, queueUrl, id, transport, permits, scheduler, minMessages, maxMessages, waitTime, visibilityTimeout,
                allAttributes, sink, onLate, ReceiveGate.always());
    }

    /**
     * A poller that receives only once {@code minMessages} handler slots are free, or once some slots are free and no
     * other came back for {@link #BATCH_WAIT} while it waited (then it takes whatever is free): under load, receives
     * stay full instead of shrinking to the one slot that just came free (more requests per message, and receives
     * racing each other for single slots), while a slot held by a long handler never stalls the poller for more than
     * that wait. Unless {@code allAttributes}, a receive asks only for the system attributes the pipeline reads
     * (receive count, first receive time, FIFO group and deduplication ids) and the message attributes (which a
     * dead-lettered message keeps), not every system attribute: smaller responses.
     *
     * @param gate consulted before each receive (a circuit breaker holds the poller while open, and admits only probes
     *             while half-open)
     */
    public QueuePoller(String queue, String queueUrl, int id, SqsTransport transport, Permits permits,
            Scheduler scheduler, int minMessages, int maxMessages, Duration waitTime, Duration visibilityTimeout,
            boolean allAttributes, Consumer<Message> sink, Consumer<List<Message>> onLate, ReceiveGate gate) {
        if (minMessages < 1 || minMessages > maxMessages) {
            throw new IllegalArgumentException("need 1 <= minMessages <= maxMessages, but they were " + minMessages
                    + " and " + maxMessages);
        }
        this.minMessages = minMessages;
        this.allAttributes = allAttributes;
        this.queue = queue;
        this.queueUrl = queueUrl;
        this.id = id;
        this.transport = transport;
        this.permits = permits;
        this.scheduler = scheduler;
        this.maxMessages = maxMessages;
        this.waitSeconds = (int) waitTime.getSeconds();
        this.visibilitySeconds = visibilityTimeout == null ? null : (int) visibilityTimeout.getSeconds();
        this.sink = sink;
        this.onLate = onLate;
        this.gate = gate;
    }

    public void start() {
        running = true;
        loop();
    }

    /** Stops receiving: no new receive starts, and an open long poll or slot wait is abandoned. */
    public void stop() {
        stopGracefully();
        abandonReceive();
    }

    /**
     * Stops receiving without abandoning a receive already sent: its messages (once it returns) are passed to {@code
     * onLate}, which makes them visible again. A receive abandoned while its response is on the wire would leave its
     * messages invisible until their timeout; {@link #abandonReceive()} ends an idle long poll after a grace period.
     */
    public void stopGracefully() {
        running = false;
        Scheduler.Cancellable backoff = backoffTask;
        if (backoff != null) {
            backoff.cancel();
        }
        CompletableFuture<?> current = pending;
        if (current != null && current != receiving) {
            current.cancel(true);
        }
    }

    /** Abandons the receive in flight, if any. */
    public void abandonReceive() {
        CompletableFuture<?> current = receiving;
        if (current != null) {
            current.cancel(true);
        }
    }

    /** Completes when no receive of this poller is in flight. */
    public CompletableFuture<Void> whenNotReceiving() {
        CompletableFuture<?> current = receiving;
        return current == null ? CompletableFuture.completedFuture(null)
                : current.handle((response, error) -> null);
    }

    public boolean isRunning() {
        return running;
    }

    /** Runs steps one after another on this thread when they complete synchronously; no recursion, no lost wake-up. */
    private void loop() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        do {
            if (running) {
                step();
            }
        } while (wip.decrementAndGet() != 0);
    }

    /**
     * Slots first, then the gate, then the receive at once: the gate's admission is never stale (a breaker that opened
     * while the poller waited for slots stops the receive), and the gate sees exactly the receives in flight.
     */
    private void step() {
        CompletableFuture<Integer> slots = permits.acquire(minMessages, maxMessages);
        pending = slots;
        if (minMessages > 1 && !slots.isDone()) {
            BatchWait wait = new BatchWait(slots);
            wait.schedule(permits.releases());
            slots.whenComplete((taken, error) -> wait.cancel());
        }
        if (!running) {
            slots.cancel(false);
        }
        slots.whenComplete((taken, error) -> {
            if (error != null) {
                return; // cancelled by stop()
            }
            if (!running) {
                permits.release(taken);
                return;
            }
            admit(taken);
        });
    }

    private void admit(int taken) {
        CompletableFuture<Integer> admission = gate.admit(taken);
        pending = admission;
        if (!running) {
            admission.cancel(false);
        }
        admission.whenComplete((admitted, error) -> {
            if (error != null) {
                permits.release(taken); // cancelled by stop()
                return;
            }
            if (!running) {
                permits.release(taken);
                gate.received(admitted, 0);
                return;
            }
            // A half-open breaker may admit fewer than the slots taken: give the rest back.
            permits.release(taken - admitted);
            receive(admitted);
        });
    }

    private void receive(int taken) {
        ReceiveMessageRequest.Builder request = ReceiveMessageRequest.builder()
                .queueUrl(queueUrl)
                .maxNumberOfMessages(taken)
                .waitTimeSeconds(waitSeconds);
        if (allAttributes) {
            request.messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All");
        } else {
            request.messageSystemAttributeNames(PIPELINE_ATTRIBUTES).messageAttributeNames("All");
        }
        if (visibilitySeconds != null) {
            request.visibilityTimeout(visibilitySeconds);
        }
        CompletableFuture<ReceiveMessageResponse> receive;
        try {
            receive = transport.receiveMessage(request.build());
        } catch (RuntimeException e) {
            receive = CompletableFuture.failedFuture(e);
        }
        pending = receive;
        receiving = receive;
        if (!running) {
            receive.cancel(true); // stop() ran between the slot check and this receive: abandon it too
        }
        receive.whenComplete((response, error) -> {
            receiving = null;
            gate.received(taken, error == null ? Math.min(taken, response.messages().size()) : 0);
            onReceived(taken, response, error);
        });
    }

    private void onReceived(int taken, ReceiveMessageResponse response, Throwable error) {
        if (error != null) {
            permits.release(taken);
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (!running) {
                return; // stopped: the long poll was abandoned on purpose
            }
            backOff(cause);
            return;
        }
        consecutiveFailures = 0;
        List<Message> messages = response.messages();
        List<Message> accepted = messages;
        if (messages.size() > taken) {
            // More than asked for would overrun the handler slots: hand the surplus back to the queue at once.
            LOG.warn("Queue '{}' returned {} messages for a receive of at most {}; releasing the surplus", queue,
                    messages.size(), taken);
            accepted = messages.subList(0, taken);
            onLate.accept(List.copyOf(messages.subList(taken, messages.size())));
        }
        permits.release(taken - accepted.size());
        if (!running) {
            if (!accepted.isEmpty()) {
                // Submit the release before freeing the slots: a stop flushes once every slot is free.
                try {
                    onLate.accept(accepted);
                } finally {
                    permits.release(accepted.size());
                }
            }
            return;
        }
        for (Message message : accepted) {
            sink.accept(message);
        }
        loop();
    }

    private void backOff(Throwable cause) {
        consecutiveFailures++;
        long base = Math.min(MAX_BACKOFF.toMillis(), MIN_BACKOFF.toMillis() << Math.min(consecutiveFailures - 1, 16));
        long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        if (cause instanceof QueueDoesNotExistException) {
            LOG.error("Queue '{}' no longer exists (poller {}); retrying in {} ms", queue, id, delay);
        } else {
            LOG.warn("Receive from queue '{}' failed (poller {}, failure #{}); retrying in {} ms: {}", queue, id,
                    consecutiveFailures, delay, cause.toString());
        }
        backoffTask = scheduler.schedule(Duration.ofMillis(delay), this::loop);
    }

    /** Relaxes a wait for a full batch once handlers stop giving slots back. */
    private final class BatchWait {
        private final CompletableFuture<Integer> slots;
        private volatile Scheduler.Cancellable task;
        private volatile boolean over;

        BatchWait(CompletableFuture<Integer> slots) {
            this.slots = slots;
        }

        void schedule(long releasesSeen) {
            task = scheduler.schedule(BATCH_WAIT, () -> {
                if (over || slots.isDone()) {
                    return;
                }
                long releases = permits.releases();
                if (releases == releasesSeen && permits.available() > 0) {
                    permits.relax(slots); // free slots sat unused and nothing else came back: receive into them
                } else {
                    schedule(releases); // handlers are still finishing (or none is free yet): keep waiting
                }
            });
            if (over) {
                task.cancel();
            }
        }

        void cancel() {
            over = true;
            Scheduler.Cancellable current = task;
            if (current != null) {
                current.cancel();
            }
        }
    }

    @Override
    public String toString() {
        return "QueuePoller{queue=" + queue + ", id=" + id + ", running=" + running + '}';
    }
}
