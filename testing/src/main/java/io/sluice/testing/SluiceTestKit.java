package io.sluice.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Binding;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import io.sluice.HandlerDefinitionException;
import io.sluice.SluiceJson;
import io.sluice.Worker;
import io.sluice.WorkerConfig;
import io.sluice.runtime.Sluice;
import io.sluice.runtime.SluiceSettings;
import io.sluice.producer.OutgoingMessage;
import io.sluice.producer.SqsProducer;
import io.sluice.testing.faults.FaultControl;
import io.sluice.testing.faults.FaultInjectingTransport;
import io.sluice.testing.faults.FaultPlan;
import io.sluice.time.VirtualTime;
import io.sluice.transport.SqsTransport;
import io.sluice.transport.memory.InMemorySqs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * A JUnit 5 extension that runs your handlers, unchanged, on an {@link InMemorySqs} with a {@link VirtualTime} clock:
 * a producer, control of time, and assertions that wait on the worker's events instead of sleeping.
 *
 * <pre>{@code
 * @RegisterExtension
 * SluiceTestKit kit = SluiceTestKit.forModules(new OrdersModule());   // or forHandlers(new OrderProcessor())
 *
 * @Test
 * void deadLettersAnOrderThatAlwaysFails() {
 *     kit.send("order-processing", new Order("ord-1", -5));
 *     kit.assertFailed("order-processing", Order.class, order -> order.id().equals("ord-1"));
 *     kit.assertDeadLettered("order-processing", Order.class, order -> order.id().equals("ord-1"));
 * }
 * }</pre>
 *
 * <p>Before each test the kit creates the clock and the transport, creates every handler's queue with its dead-letter
 * queue and RedrivePolicy (as {@link WorkerConfig#createQueues()} does: {@code orders} gets {@code orders-dlq}, the
 * FIFO queue {@code payments.fifo} gets the FIFO {@code payments-dlq.fifo}), and starts the worker; after the test it
 * stops it. With {@link #forModules} the worker comes from your Guice modules with {@link SqsTransport} overridden by
 * the in-memory one (so your own code that injects the transport uses it too); with {@link #forHandlers} it is built
 * from plain handler objects.
 *
 * <p><b>Sending.</b> {@link #send(String, Object)} sends a payload (a {@code String} as it is, anything else as JSON);
 * {@link #message(Object)} adds what a producer sets: a FIFO message group and deduplication id, message attributes
 * and a delay, each checked against SQS's rules when it is set.
 *
 * <pre>{@code
 * kit.message(payment).group("cust-1").deduplicationId("tx-9").sendTo("payments.fifo");
 * kit.message("{\"order_id\": \"ord-1\"}").attribute("tenant", "acme").delay(Duration.ofSeconds(30))
 *         .sendTo("order-processing");
 * }</pre>
 *
 * <p><b>A backlog.</b> A message sent while the worker runs is received at once, alone, so a test never sees how the
 * worker takes a backlog (a batch of one FIFO group, many groups at once). Build the kit with {@link
 * Builder#manualStart()} to fill the queues first, then {@link #startWorker()}:
 *
 * <pre>{@code
 * @RegisterExtension
 * SluiceTestKit kit = SluiceTestKit.builder().handlers(new PaymentHandler()).manualStart().build();
 *
 * @Test
 * void handlesABacklogOfEveryCustomer() {
 *     for (Payment payment : payments) {
 *         kit.message(payment).group(payment.customer()).sendTo("payments.fifo");
 *     }
 *     kit.startWorker();
 *     kit.assertQueueEmpty("payments.fifo");
 * }
 * }</pre>
 *
 * <p><b>Faults.</b> {@link Builder#faults(FaultPlan)} puts a {@link FaultInjectingTransport} between the worker and the
 * in-memory SQS, so a test shows how the handlers and the configuration ride out throttling, server errors, timeouts,
 * lost responses and the rest; {@link #faults()} turns them off, starts an outage and counts what was injected. The
 * kit's own calls (creating queues, sending, inspecting) go around the faults, which start once the worker has started.
 *
 * <pre>{@code
 * SluiceTestKit kit = SluiceTestKit.builder().handlers(new OrderProcessor())
 *         .faults(FaultPlan.builder().seed(7).allActions(0.10).lostResponseShare(1 / 3.0).build()).build();
 * }</pre>
 *
 * <p>Handlers run on the thread that delivers the message (a direct executor): a test is deterministic, and a handler
 * that blocks blocks the test. Deletes are sent at once (no flush interval).
 *
 * <p>Every {@code assert*} method checks its expectation and, while it does not hold, lets virtual time run to the
 * next scheduled event (a visibility timeout ending, a long poll ending, a delay ending), up to {@link
 * Builder#patience(Duration) patience} of virtual time (15 minutes by default). It fails with an {@link AssertionError}
 * saying what it saw once that much virtual time passed or {@link Builder#realTimeLimit(Duration) realTimeLimit} of
 * real time (5 s) ran out. So "the message is dead-lettered after three failed receives" needs no arithmetic about
 * visibility timeouts, and a scenario spanning many minutes runs in milliseconds. Before {@link #startWorker()},
 * {@code assertHandled}, {@code assertFailed} and {@code assertDeadLettered} fail at once, saying the worker has not
 * started.
 *
 * <p>Not thread safe: use one kit from the test's thread.
 */
public final class SluiceTestKit implements BeforeEachCallback, AfterEachCallback, AutoCloseable {

    private static final Duration DEFAULT_PATIENCE = Duration.ofMinutes(15);
    private static final Duration DEFAULT_REAL_TIME_LIMIT = Duration.ofSeconds(5);
    private static final int SHOWN = 5;
    /** The message group of a FIFO message sent without one. */
    static final String DEFAULT_GROUP = "default";

    private final List<Object> handlers;
    private final List<Module> modules;
    private final WorkerConfig config;
    private final Duration patience;
    private final Duration realTimeLimit;
    private final boolean manualStart;
    private final FaultPlan faultPlan;

    private VirtualTime time;
    private InMemorySqs sqs;
    private RecordingTransport transport;
    private FaultInjectingTransport faults;
    private EventLog events;
    private Injector injector;
    private Worker worker;
    /** Whether {@link #worker} was started: before each test, or by {@link #startWorker()} after manualStart(). */
    private boolean workerStarted;
    private ObjectMapper mapper;
    private SqsProducer producer;

    private SluiceTestKit(Builder builder) {
        this.handlers = List.copyOf(builder.handlers);
        this.modules = List.copyOf(builder.modules);
        this.config = builder.config;
        this.patience = builder.patience;
        this.realTimeLimit = builder.realTimeLimit;
        this.manualStart = builder.manualStart;
        this.faultPlan = builder.faultPlan;
    }

    /** A kit running the {@code @SqsHandler} methods of {@code handlers}, with default settings. */
    public static SluiceTestKit forHandlers(Object... handlers) {
        return builder().handlers(handlers).build();
    }

    /** A kit running the handlers bound in {@code modules}, with the in-memory transport overriding theirs. */
    public static SluiceTestKit forModules(Module... modules) {
        return builder().modules(modules).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- lifecycle ----

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /**
     * Creates the clock, the transport, the worker and every handler's queue with its dead-letter queue, then starts
     * the worker (unless the kit was built with {@link Builder#manualStart()}: then {@link #startWorker()} does). The
     * extension calls it before each test.
     *
     * @throws io.sluice.HandlerDefinitionException listing every invalid handler
     */
    public void start() {
        if (sqs != null) {
            throw new IllegalStateException("the kit is running; close() it first");
        }
        try {
            time = new VirtualTime();
            sqs = InMemorySqs.builder().scheduler(time).build();
            SqsTransport workerSide = sqs;
            if (faultPlan != null) {
                faults = FaultInjectingTransport.wrap(sqs, faultPlan, time);
                faults.enabled(false); // Sluice does not retry startup calls (the SDK does, below the decorator)
                workerSide = faults;
            }
            transport = new RecordingTransport(workerSide);
            events = new EventLog();
            worker = buildWorker();
            producer = SqsProducer.builder().transport(sqs).objectMapper(mapper).scheduler(time).build();
            createQueues();
            workerStarted = false;
            if (!manualStart) {
                startAndInjectFaults();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private Worker buildWorker() {
        Executor direct = Runnable::run;
        if (!modules.isEmpty()) {
            injector = Guice.createInjector(Modules.override(modules)
                    .with(binder -> binder.bind(SqsTransport.class).toInstance(transport)));
            WorkerConfig base = config != null ? config : bound(WorkerConfig.class);
            ObjectMapper boundMapper = bound(ObjectMapper.class);
            mapper = boundMapper != null ? boundMapper : SluiceJson.defaultMapper();
            return Sluice.worker(injector)
                    .transport(transport)
                    .config(kitConfig(base))
                    .settings(SluiceSettings.of(Map.of()))
                    .scheduler(time)
                    .executor(direct)
                    .listener(events)
                    .build();
        }
        mapper = SluiceJson.defaultMapper();
        return Worker.builder()
                .transport(transport)
                .handlers(handlers)
                .config(kitConfig(config))
                .scheduler(time)
                .executor(direct)
                .listener(events)
                .build();
    }

    /**
     * Creates each of the worker's queues as the worker does with {@link WorkerConfig#createQueues()} (the same
     * resolver, so the same rules): a FIFO queue for a {@code .fifo} name, its dead-letter queue ({@code orders-dlq},
     * {@code payments-dlq.fifo}, or the configured one) and a RedrivePolicy with the configured maxReceiveCount. Done
     * before the first send, so a test can fill the queues before the worker starts.
     */
    private void createQueues() {
        join(worker.createQueues());
    }

    /**
     * Starts the worker of a kit built with {@link Builder#manualStart()}, after the test filled its queues: the
     * prefilled messages then reach the pollers as a backlog, as after a deploy or an outage, instead of one by one
     * as they are sent.
     *
     * @throws IllegalStateException when the worker was started already (a kit without {@code manualStart()} starts it
     *                               before each test), or the kit is not running
     * @throws io.sluice.HandlerDefinitionException when the worker cannot start (a bad queue setting)
     */
    public void startWorker() {
        running(worker);
        if (workerStarted) {
            throw new IllegalStateException("the worker is running already: "
                    + (manualStart ? "startWorker() was called before" : "the kit starts it before each test unless"
                    + " it is built with manualStart()"));
        }
        startAndInjectFaults();
    }

    private void startAndInjectFaults() {
        worker.start();
        workerStarted = true;
        if (faults != null) {
            faults.enabled(true);
        }
    }

    private static WorkerConfig kitConfig(WorkerConfig base) {
        return (base != null ? base : WorkerConfig.defaults()).toBuilder()
                .createQueues(true)
                .deleteFlushInterval(Duration.ZERO)
                .build();
    }

    private <T> T bound(Class<T> type) {
        Binding<T> binding = injector.getExistingBinding(Key.get(type));
        return binding == null ? null : binding.getProvider().get();
    }

    /** Stops the worker and releases the transport. The extension calls it after each test. Idempotent. */
    @Override
    public void close() {
        if (faults != null) { // the stop's releases and deletes go through
            faults.enabled(false);
            faults.endOutage();
            faults = null;
        }
        if (worker != null) {
            // The stop's waits run on the virtual clock: let it run until the stop is over (bounded in real time).
            CompletableFuture<Boolean> stopped = worker.stopAsync(Duration.ofSeconds(5));
            long limit = System.nanoTime() + realTimeLimit.toNanos();
            while (!stopped.isDone() && System.nanoTime() - limit < 0) {
                time.advance(Duration.ofMillis(10));
            }
            worker = null;
        }
        if (producer != null) {
            producer.flush(); // sends settle at once in memory; nothing to wait for
            producer = null;
        }
        if (sqs != null) {
            sqs.close();
            sqs = null;
        }
    }

    // ---- what the test uses ----

    /** The virtual clock; {@link #advance} moves it. */
    public VirtualTime time() {
        return running(time);
    }

    /** The in-memory transport (to inspect queues with {@link InMemorySqs#messages}, or to call SQS directly). */
    public InMemorySqs sqs() {
        return running(sqs);
    }

    public Worker worker() {
        return running(worker);
    }

    /**
     * The switches and counters of the faults between the worker and SQS: {@code faults().counts().report()}, {@code
     * faults().outage(Fault.SERVER_ERROR, SqsAction.RECEIVE_MESSAGE)}, {@code faults().enabled(false)}.
     *
     * @throws IllegalStateException when the kit was built without {@link Builder#faults(FaultPlan)}
     */
    public FaultControl faults() {
        if (faultPlan == null) {
            throw new IllegalStateException("no faults: build the kit with faults(FaultPlan) to inject them");
        }
        return running(faults);
    }

    /** The injector built from the modules (with the transport overridden); only for {@link #forModules}. */
    public Injector injector() {
        if (injector == null) {
            throw new IllegalStateException("no injector: this kit was built for handler objects, not modules");
        }
        return running(injector);
    }

    /** Lets {@code duration} of virtual time pass, running what falls due (redeliveries, delays, polls). */
    public void advance(Duration duration) {
        time().advance(duration);
    }

    /**
     * Sends {@code payload} to {@code queue}: a {@code String} as it is (a raw JSON body, or any text), anything else
     * as JSON. On a FIFO queue the message gets group {@code "default"} and a fresh deduplication id; {@link
     * #message(Object)} sets them.
     *
     * @return the message id
     */
    public String send(String queue, Object payload) {
        return message(payload).sendTo(queue);
    }

    /**
     * Sends {@code payload} with string message attributes; the same as {@code message(payload).attributes(attributes)
     * .sendTo(queue)}.
     */
    public String send(String queue, Object payload, Map<String, String> attributes) {
        return message(payload).attributes(attributes).sendTo(queue);
    }

    /** Sends {@code payload} as JSON, even a {@code String} (which becomes a JSON string). */
    public String sendJson(String queue, Object payload) {
        return send(queue, json(payload));
    }

    /**
     * A message to send with options: a FIFO group and deduplication id, message attributes, a delay. Nothing is sent
     * until {@link TestMessage#sendTo(String)}:
     *
     * <pre>{@code
     * kit.message(payment).group("cust-1").deduplicationId("tx-9").sendTo("payments.fifo");
     * }</pre>
     *
     * @param payload a {@code String} is sent as it is (a raw JSON body, or any text), anything else as JSON
     */
    public TestMessage message(Object payload) {
        return new TestMessage(this, OutgoingMessage.of(payload));
    }

    /**
     * Sends {@code message} to {@code queue} through the kit's producer, with the kit's FIFO conveniences: group {@code
     * "default"} and a fresh deduplication id (unless the queue deduplicates by content) when none is given.
     */
    String send(String queue, OutgoingMessage message) {
        running(producer);
        String url = url(queue); // a queue the kit did not create fails here, naming the ones it did
        OutgoingMessage sent = message;
        if (queue.endsWith(".fifo")) {
            if (sent.groupId() == null) {
                sent = sent.group(DEFAULT_GROUP);
            }
            if (sent.deduplicationId() == null && !deduplicatesByContent(url)) {
                sent = sent.deduplicationId(UUID.randomUUID().toString());
            }
        }
        return producer.send(queue, sent).messageId();
    }

    /**
     * The kit's producer: on the kit's in-memory transport (never through {@linkplain Builder#faults(FaultPlan)
     * faults}), virtual clock and the worker's {@code ObjectMapper}.
     */
    public SqsProducer producer() {
        return running(producer);
    }

    /**
     * The messages in {@code queue}'s dead-letter queue now, each with the reason Sluice wrote on it; for an assertion
     * that waits, see {@link #assertDeadLettered}.
     */
    public List<DeadLetter> deadLetters(String queue) {
        String dlq = deadLetterQueue(queue);
        return sqs().messages(dlq).stream().map(message -> new DeadLetter(message, mapper)).toList();
    }

    private boolean deduplicatesByContent(String url) {
        return Boolean.parseBoolean(join(sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNamesWithStrings("ContentBasedDeduplication"))).attributesAsStrings()
                .get("ContentBasedDeduplication"));
    }

    // ---- assertions ----

    /**
     * Waits until the handler of {@code queue} completed normally for a payload of {@code type} matching {@code
     * matching}.
     *
     * @return that payload
     */
    public <T> T assertHandled(String queue, Class<T> type, Predicate<? super T> matching) {
        workerStartedFor("assertHandled");
        return await("queue '" + queue + "' to handle a " + type.getSimpleName() + " matching the predicate",
                () -> outcome(queue, type, matching, false).map(found -> found.payload),
                () -> outcomesSeen(queue));
    }

    /**
     * Waits until the handler of {@code queue} failed (threw, or its payload could not be bound) for a payload of
     * {@code type} matching {@code matching}.
     *
     * @return the failure's cause
     */
    public <T> Throwable assertFailed(String queue, Class<T> type, Predicate<? super T> matching) {
        workerStartedFor("assertFailed");
        return await("queue '" + queue + "' to fail handling a " + type.getSimpleName() + " matching the predicate",
                () -> outcome(queue, type, matching, true).map(found -> found.cause),
                () -> outcomesSeen(queue));
    }

    /**
     * Waits until a message of {@code queue} whose payload of {@code type} matches {@code matching} is in the queue's
     * dead-letter queue (the target of its RedrivePolicy).
     *
     * @return that payload
     */
    public <T> T assertDeadLettered(String queue, Class<T> type, Predicate<? super T> matching) {
        workerStartedFor("assertDeadLettered");
        String dlq = deadLetterQueue(queue);
        return await("a " + type.getSimpleName() + " matching the predicate to be dead-lettered from queue '" + queue
                        + "' to '" + dlq + "'",
                () -> {
                    for (Message message : sqs.messages(dlq)) {
                        Optional<T> payload = parse(message.body(), type);
                        if (payload.isPresent() && matching.test(payload.get())) {
                            return payload;
                        }
                    }
                    return Optional.empty();
                },
                () -> "; '" + dlq + "' holds " + bodies(sqs.messages(dlq)) + outcomesSeen(queue));
    }

    /** Waits until {@code queue} holds no message: none visible, in flight or delayed. */
    public void assertQueueEmpty(String queue) {
        await("queue '" + queue + "' to be empty",
                () -> counts(queue).values().stream().allMatch(count -> count == 0) ? Optional.of(true)
                        : Optional.empty(),
                () -> "; it holds " + counts(queue) + ": " + bodies(sqs.messages(queue)));
    }

    /** Waits until no handler runs and no message of the worker's queues is in flight (received, not deleted). */
    public void assertNothingInFlight() {
        await("nothing to be in flight",
                () -> worker.inFlight() == 0 && worker.queues().stream()
                        .allMatch(queue -> counts(queue).get("ApproximateNumberOfMessagesNotVisible") == 0)
                        ? Optional.of(true) : Optional.empty(),
                () -> {
                    StringBuilder seen = new StringBuilder("; deliveries in flight: " + worker.inFlight());
                    worker.queues().forEach(queue -> seen.append("; '").append(queue).append("': ")
                            .append(counts(queue)));
                    return seen.toString();
                });
    }

    /** An assertion that only the worker can satisfy fails at once while a manually started worker waits. */
    private void workerStartedFor(String assertion) {
        running(worker);
        if (!workerStarted) {
            throw new IllegalStateException(assertion + " waits for the worker, which has not started: this kit was"
                    + " built with manualStart(); call startWorker() once the queues are filled");
        }
    }

    // ---- waiting ----

    /** Checks {@code check}; while it finds nothing, lets virtual time run event by event, within both limits. */
    private <R> R await(String expectation, Supplier<Optional<R>> check, Supplier<String> seen) {
        running(worker);
        long realDeadline = System.nanoTime() + realTimeLimit.toNanos();
        Instant start = time.now();
        Instant virtualDeadline = start.plus(patience);
        while (true) {
            Optional<R> found = check.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() - realDeadline > 0) {
                throw failure(expectation, start, "the real-time limit of " + human(realTimeLimit) + " ran out", seen);
            }
            if (worker.handlersRunning() > 0) {
                waitForEvent(); // an asynchronous handler is still running on another thread
                continue;
            }
            Instant now = time.now();
            if (!now.isBefore(virtualDeadline)) {
                throw failure(expectation, start, human(patience) + " of virtual time passed", seen);
            }
            List<Instant> due = time.pendingDueTimes();
            Instant next = due.isEmpty() || due.get(0).isAfter(virtualDeadline) ? virtualDeadline : due.get(0);
            time.advance(next.isAfter(now) ? Duration.between(now, next) : Duration.ZERO);
        }
    }

    private void waitForEvent() {
        try {
            events.awaitEvent(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    private AssertionError failure(String expectation, Instant start, String why, Supplier<String> seen) {
        return new AssertionError("Expected " + expectation + ", but " + why + " (" + human(Duration.between(start,
                time.now())) + " of virtual time since the assertion began)" + seen.get());
    }

    /** {@code 1h}, {@code 14m30s}, {@code 0.5s}. */
    static String human(Duration duration) {
        return duration.isZero() ? "0s" : duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    // ---- helpers ----

    private record Found<T>(T payload, Throwable cause) {
    }

    private <T> Optional<Found<T>> outcome(String queue, Class<T> type, Predicate<? super T> matching, boolean failed) {
        for (EventLog.Outcome outcome : events.outcomes()) {
            if (!outcome.delivery().queue().equals(queue) || (outcome.cause() != null) != failed) {
                continue;
            }
            Message message = transport.received(outcome.delivery().messageId());
            if (message == null) {
                continue;
            }
            Optional<T> payload = parse(message.body(), type);
            if (payload.isPresent() && matching.test(payload.get())) {
                return Optional.of(new Found<>(payload.get(), outcome.cause()));
            }
        }
        return Optional.empty();
    }

    private String outcomesSeen(String queue) {
        List<String> handled = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (EventLog.Outcome outcome : events.outcomes()) {
            if (!outcome.delivery().queue().equals(queue)) {
                continue;
            }
            Message message = transport.received(outcome.delivery().messageId());
            String body = message == null ? outcome.delivery().messageId() : shorten(message.body());
            if (outcome.cause() == null) {
                handled.add(body);
            } else {
                failed.add(body + " (" + outcome.cause() + ")");
            }
        }
        return "; handled on '" + queue + "': " + shown(handled) + "; failed: " + shown(failed);
    }

    private static String shown(List<String> items) {
        return items.size() <= SHOWN ? items.toString()
                : items.subList(0, SHOWN) + " and " + (items.size() - SHOWN) + " more";
    }

    private static String bodies(List<Message> messages) {
        return shown(messages.stream().map(message -> shorten(message.body())).toList());
    }

    private static String shorten(String body) {
        return body.length() <= 120 ? body : body.substring(0, 117) + "...";
    }

    private <T> Optional<T> parse(String body, Class<T> type) {
        if (type == String.class) {
            return Optional.of(type.cast(body));
        }
        try {
            return Optional.ofNullable(mapper.readValue(body, type));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private String json(Object payload) {
        try {
            return mapper.writeValueAsString(Objects.requireNonNull(payload, "payload"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + payload.getClass().getName() + " as JSON", e);
        }
    }

    private Map<String, Integer> counts(String queue) {
        Map<String, String> attributes = join(sqs.getQueueAttributes(b -> b.queueUrl(url(queue))
                .attributeNamesWithStrings("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                        "ApproximateNumberOfMessagesDelayed"))).attributesAsStrings();
        Map<String, Integer> counts = new java.util.TreeMap<>();
        attributes.forEach((name, value) -> counts.put(name, Integer.parseInt(value)));
        return counts;
    }

    private String deadLetterQueue(String queue) {
        String policy = join(sqs.getQueueAttributes(b -> b.queueUrl(url(queue)).attributeNamesWithStrings(
                "RedrivePolicy"))).attributesAsStrings().get("RedrivePolicy");
        if (policy == null) {
            throw new AssertionError("queue '" + queue + "' has no RedrivePolicy, so nothing can be dead-lettered");
        }
        try {
            String arn = mapper.readTree(policy).get("deadLetterTargetArn").asText();
            return arn.substring(arn.lastIndexOf(':') + 1);
        } catch (JsonProcessingException e) {
            throw new AssertionError("queue '" + queue + "' has an unreadable RedrivePolicy: " + policy, e);
        }
    }

    private String url(String queue) {
        running(sqs);
        try {
            return join(sqs.getQueueUrl(b -> b.queueName(queue))).queueUrl();
        } catch (QueueDoesNotExistException e) {
            throw new IllegalArgumentException("no queue '" + queue + "': the kit creates the queues of the worker's"
                    + " handlers " + (worker == null ? "" : worker.queues()) + " and their dead-letter queues", e);
        }
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static <T> T running(T component) {
        if (component == null) {
            throw new IllegalStateException("the kit is not running: register it with @RegisterExtension, or call"
                    + " start()");
        }
        return component;
    }

    /** Builds a {@link SluiceTestKit}; each setter rejects a bad value at once, naming it. */
    public static final class Builder {
        private final List<Object> handlers = new ArrayList<>();
        private final List<Module> modules = new ArrayList<>();
        private WorkerConfig config;
        private Duration patience = DEFAULT_PATIENCE;
        private Duration realTimeLimit = DEFAULT_REAL_TIME_LIMIT;
        private boolean manualStart;
        private FaultPlan faultPlan;

        private Builder() {
        }

        /** Objects whose {@code @SqsHandler} methods the worker runs. */
        public Builder handlers(Object... handlers) {
            for (Object handler : handlers) {
                this.handlers.add(Objects.requireNonNull(handler, "handler"));
            }
            return this;
        }

        /** Guice modules whose bound handlers the worker runs; their {@link SqsTransport} binding is overridden. */
        public Builder modules(Module... modules) {
            for (Module module : modules) {
                this.modules.add(Objects.requireNonNull(module, "module"));
            }
            return this;
        }

        /**
         * The worker configuration (per-queue DLQ names, maxReceiveCount, visibility...), instead of a bound one or
         * the defaults. The kit always turns on queue creation and sends deletes at once.
         */
        public Builder config(WorkerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** How much virtual time an assertion lets pass before it fails; 15 minutes by default. */
        public Builder patience(Duration patience) {
            if (patience == null || patience.isNegative() || patience.isZero()) {
                throw new IllegalArgumentException("patience must be positive, but was " + patience);
            }
            this.patience = patience;
            return this;
        }

        /** How much real time an assertion may take before it fails; 5 seconds by default. */
        public Builder realTimeLimit(Duration realTimeLimit) {
            if (realTimeLimit == null || realTimeLimit.isNegative() || realTimeLimit.isZero()) {
                throw new IllegalArgumentException("realTimeLimit must be positive, but was " + realTimeLimit);
            }
            this.realTimeLimit = realTimeLimit;
            return this;
        }

        /**
         * Leaves the worker stopped until the test calls {@link SluiceTestKit#startWorker()}. The queues and their
         * dead-letter queues are created all the same, so the test can fill them first and the worker then meets a
         * backlog, as after a deploy or an outage. Messages sent while the worker runs are each received as soon as
         * they are sent, one at a time, which hides what a backlog shows: FIFO group order across a batch, how a
         * queue's messages share the handler slots.
         */
        public Builder manualStart() {
            this.manualStart = true;
            return this;
        }

        /**
         * Injects {@code plan}'s faults into the worker's SQS calls, on the kit's virtual clock, from the moment the
         * worker has started (see {@link SluiceTestKit#faults()}). The kit's own calls go around them.
         */
        public Builder faults(FaultPlan plan) {
            this.faultPlan = Objects.requireNonNull(plan, "plan");
            return this;
        }

        public SluiceTestKit build() {
            if (handlers.isEmpty() == modules.isEmpty()) {
                throw new IllegalStateException("give either handlers(...) or modules(...), but got "
                        + handlers.size() + " handler(s) and " + modules.size() + " module(s)");
            }
            return new SluiceTestKit(this);
        }
    }
}
