package io.sluice;

import static io.sluice.testutil.TestMessages.message;
import static io.sluice.testutil.TestMessages.messages;
import static io.sluice.testutil.TestMessages.receiptHandleOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.annotations.CircuitBreaker;
import io.sluice.annotations.Retry;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.VirtualStop;
import io.sluice.testutil.FakeSqsTransport;
import io.sluice.testutil.ManualExecutor;
import io.sluice.testutil.RecordingListener;
import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;

/** The circuit breaker gate: an open breaker stops the queue's pollers; half-open probes; closing resumes. */
class WorkerCircuitBreakerTest {

    private final FakeSqsTransport transport = new FakeSqsTransport();
    private final VirtualTime time = new VirtualTime();
    private final RecordingListener listener = new RecordingListener();
    private final List<Worker> workers = new ArrayList<>();

    @AfterEach
    void stopWorkers() {
        workers.forEach(worker -> VirtualStop.stop(worker, time, Duration.ofSeconds(1)));
    }

    static class PaymentsHandler {
        volatile boolean down = true;
        final AtomicInteger calls = new AtomicInteger();

        @SqsHandler(queue = "orders", concurrency = 10)
        @Retry(attempts = 1)
        @CircuitBreaker(name = "payments", minimumCalls = 4, failureRateThreshold = 50, waitInOpenSeconds = 10,
                permittedInHalfOpen = 2)
        public void handle(String body) {
            calls.incrementAndGet();
            if (body.startsWith("poison")) {
                throw new MessageBindingException("orders", "x", "PaymentsHandler.handle", "bad body", null);
            }
            if (down) {
                throw new IllegalStateException("payments down");
            }
        }
    }

    private Worker start(Object handler, java.util.concurrent.Executor executor) {
        transport.withRedrive("orders", "orders-dlq", 5, 30);
        Worker worker = Worker.builder().transport(transport).handlers(handler).scheduler(time).executor(executor)
                .listener(listener).build();
        workers.add(worker);
        return worker.start();
    }

    @Test
    void anOpenBreakerStopsReceivingThenProbesWhenHalfOpenAndResumesWhenClosed() {
        PaymentsHandler handler = new PaymentsHandler();
        transport.addMessages(messages(4));
        start(handler, Runnable::run);

        assertThat(handler.calls).hasValue(4);
        assertThat(listener.circuitChanges).containsExactly("payments:CLOSED->OPEN");
        int receives = transport.receives().size();
        assertThat(transport.openReceives()).as("no long poll while open").isEmpty();

        transport.addMessages(message("m5", "ok"), message("m6", "ok"), message("m7", "ok"));
        time.advance(Duration.ofSeconds(9));
        assertThat(transport.receives()).as("nothing received while open: no receive count burnt").hasSize(receives);
        assertThat(handler.calls).hasValue(4);

        handler.down = false;
        time.advance(Duration.ofSeconds(2)); // past the 10 s wait
        assertThat(listener.circuitChanges).containsExactly("payments:CLOSED->OPEN", "payments:OPEN->HALF_OPEN",
                "payments:HALF_OPEN->CLOSED");
        ReceiveProbe probe = new ReceiveProbe(transport.receives().get(receives).maxNumberOfMessages());
        assertThat(probe.max).as("half-open: at most the permitted probes").isEqualTo(2);
        time.advance(Duration.ofSeconds(1));
        assertThat(listener.handled).containsExactlyInAnyOrder("m5", "m6", "m7");
        assertThat(transport.lastReceive().maxNumberOfMessages()).as("closed: receiving freely again").isEqualTo(10);
    }

    record ReceiveProbe(int max) {
    }

    @Test
    void messagesReceivedButNotStartedWhenTheBreakerOpensAreHeldNotFailedNorReleasedAndRunAsItsProbes() {
        PaymentsHandler handler = new PaymentsHandler();
        ManualExecutor executor = new ManualExecutor();
        transport.addMessages(messages(6));
        start(handler, executor);
        assertThat(executor.queued()).isEqualTo(6);

        for (int i = 0; i < 4; i++) {
            executor.runNext();
        }
        assertThat(listener.circuitChanges).containsExactly("payments:CLOSED->OPEN");
        executor.runAll();
        time.advance(Duration.ofSeconds(1));

        assertThat(handler.calls).hasValue(4);
        assertThat(listener.failed).hasSize(4);
        // Held on the heartbeat, not released: a release would spend one of their receives on the next receive.
        assertThat(transport.visibilityChanges()).filteredOn(entry -> entry.visibilityTimeout() == 0).isEmpty();
        assertThat(transport.openReceives()).as("the open breaker holds the poller").isEmpty();
        int receives = transport.receives().size();

        handler.down = false;
        for (int second = 0; second < 12; second++) { // past the 10 s open wait; held deliveries ask every second
            time.advance(Duration.ofSeconds(1));
            executor.runAll();
        }

        assertThat(listener.handled).as("the held ones were the probes, then the breaker closed")
                .containsExactlyInAnyOrder("m5", "m6");
        assertThat(listener.circuitChanges).containsExactly("payments:CLOSED->OPEN", "payments:OPEN->HALF_OPEN",
                "payments:HALF_OPEN->CLOSED");
        assertThat(transport.receives().subList(0, receives)).as("no receive while open")
                .hasSize(receives);
        assertThat(transport.visibilityChanges()).filteredOn(entry -> entry.visibilityTimeout() == 0).isEmpty();
    }

    static class TwoPollerPaymentsHandler {
        final AtomicInteger calls = new AtomicInteger();

        @SqsHandler(queue = "orders", concurrency = 20)
        @Retry(attempts = 1)
        @CircuitBreaker(name = "payments", minimumCalls = 4, failureRateThreshold = 50, waitInOpenSeconds = 10)
        public void handle(String body) {
            calls.incrementAndGet();
            throw new IllegalStateException("payments down");
        }
    }

    @Test
    void messagesKeptFromTheHandlerByAnOpenBreakerStayHeldWhileLongPollsAreOpenAndAfter() {
        TwoPollerPaymentsHandler handler = new TwoPollerPaymentsHandler();
        ManualExecutor executor = new ManualExecutor();
        transport.autoServe(false);
        start(handler, executor);
        List<FakeSqsTransport.Receive> polls = transport.openReceives();
        assertThat(polls).as("two pollers, each long-polling for a full batch").hasSize(2);

        polls.get(0).respond(messages(6));
        for (int i = 0; i < 4; i++) {
            executor.runNext();
        }
        assertThat(listener.circuitChanges).containsExactly("payments:CLOSED->OPEN");
        executor.runAll();
        polls.get(1).respondEmpty(); // the other long poll ends
        time.advance(Duration.ofSeconds(5));
        executor.runAll();

        assertThat(handler.calls).hasValue(4);
        assertThat(transport.visibilityChanges()).filteredOn(entry -> entry.visibilityTimeout() == 0)
                .as("m5 and m6 are held, never made visible while the breaker is open").isEmpty();
        assertThat(transport.receives()).as("no receive while the breaker is open").hasSize(2);
        assertThat(listener.failed).hasSize(4);
    }

    @Test
    void heldMessagesAreReleasedAtOnceWhenTheWorkerStops() {
        TwoPollerPaymentsHandler handler = new TwoPollerPaymentsHandler();
        ManualExecutor executor = new ManualExecutor();
        transport.autoServe(false);
        Worker worker = start(handler, executor);
        transport.openReceives().get(0).respond(messages(6));
        for (int i = 0; i < 4; i++) {
            executor.runNext();
        }
        executor.runAll(); // m5 and m6 are kept from the handler by the open breaker
        time.advance(Duration.ofSeconds(1));

        VirtualStop.stop(worker, time, Duration.ofSeconds(5));

        assertThat(transport.visibilityChanges()).filteredOn(entry -> entry.visibilityTimeout() == 0)
                .extracting(ChangeMessageVisibilityBatchRequestEntry::receiptHandle)
                .as("a stop leaves nothing invisible")
                .contains(receiptHandleOf("m5"), receiptHandleOf("m6"));
    }

    /**
     * Regression: with a flapping breaker, releasing held messages again and again spent their receive counts, and
     * SQS's redrive moved healthy orders to the DLQ without a reason.
     */
    @Test
    void aMessageOnItsLastDeliveryIsHeldNotReleasedAndRunsOnceTheBreakerLetsItThrough() {
        PaymentsHandler handler = new PaymentsHandler();
        ManualExecutor executor = new ManualExecutor();
        transport.addMessages(messages(4));
        transport.addMessages(message("last", "ok", 5), message("early", "ok", 1)); // maxReceiveCount 5
        start(handler, executor);
        for (int i = 0; i < 4; i++) {
            executor.runNext();
        }
        assertThat(listener.circuitChanges).containsExactly("payments:CLOSED->OPEN");

        executor.runAll();
        time.advance(Duration.ofSeconds(1));

        assertThat(transport.visibilityChanges()).filteredOn(entry -> entry.visibilityTimeout() == 0)
                .as("both held: a release would spend a receive").isEmpty();

        handler.down = false;
        for (int second = 0; second < 12; second++) { // past the 10 s open wait; the held delivery asks every second
            time.advance(Duration.ofSeconds(1));
            executor.runAll();
        }

        assertThat(listener.handled).contains("last", "early");
        assertThat(transport.deletedReceiptHandles()).contains(receiptHandleOf("last"));
        assertThat(listener.deadLettered).isEmpty();
        assertThat(handler.calls).as("4 failures, then the held one once").hasValueGreaterThanOrEqualTo(5);
    }

    @Test
    void poisonMessagesDoNotOpenTheBreaker() {
        PaymentsHandler handler = new PaymentsHandler();
        handler.down = false;
        transport.addMessages(message("p1", "poison"), message("p2", "poison"), message("p3", "poison"),
                message("p4", "poison"), message("p5", "poison"));
        start(handler, Runnable::run);
        time.advance(Duration.ofSeconds(1));

        assertThat(listener.deadLettered).hasSize(5);
        assertThat(listener.circuitChanges).isEmpty();
    }

    @Test
    void handlersNamingTheSameBreakerShareIt() {
        PaymentsHandler orders = new PaymentsHandler();
        AtomicInteger refundCalls = new AtomicInteger();
        Object refunds = new Object() {
            @SqsHandler(queue = "refunds")
            @CircuitBreaker(name = "payments")
            public void handle(String body) {
                refundCalls.incrementAndGet();
            }
        };
        transport.withQueue("refunds");
        transport.addMessages(messages(4));
        transport.withRedrive("orders", "orders-dlq", 5, 30);
        Worker worker = Worker.builder().transport(transport).handlers(orders, refunds).scheduler(time)
                .executor(Runnable::run).listener(listener).build();
        workers.add(worker);
        worker.start();

        assertThat(listener.circuitChanges).containsExactly("payments:CLOSED->OPEN");
        int receives = transport.receives().size();
        transport.addMessages(message("r1", "refund"));
        time.advance(Duration.ofSeconds(5));
        assertThat(refundCalls).as("the shared breaker holds the refunds poller too").hasValue(0);
        assertThat(transport.receives()).hasSize(receives);
    }
}
