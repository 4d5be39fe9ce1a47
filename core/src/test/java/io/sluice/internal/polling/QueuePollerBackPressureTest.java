package io.sluice.internal.polling;

import static io.sluice.testutil.TestMessages.message;
import static io.sluice.testutil.TestMessages.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testutil.FakeSqsTransport;
import io.sluice.testutil.FakeSqsTransport.Receive;
import io.sluice.internal.events.Events;
import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * The poller's half of back-pressure: it takes handler slots before it receives and never asks for more messages than
 * it holds slots for. The sink stands in for the dispatcher: a message it accepted is "running" until the test finishes
 * it, which gives its slot back as the dispatcher does when a handler ends.
 */
class QueuePollerBackPressureTest {

    private static final String QUEUE = "orders";
    private static final String URL = FakeSqsTransport.urlOf(QUEUE);

    private final FakeSqsTransport transport = new FakeSqsTransport().withQueue(QUEUE);
    private final VirtualTime time = new VirtualTime();
    private final Deque<Message> running = new ArrayDeque<>();
    private final List<Message> handled = new ArrayList<>();
    private final List<Message> late = new ArrayList<>();
    private final List<QueuePoller> pollers = new ArrayList<>();

    @AfterEach
    void stopPollers() {
        pollers.forEach(QueuePoller::stop);
    }

    private QueuePoller poller(Permits permits, int maxMessages, Duration visibility) {
        QueuePoller poller = new QueuePoller(new PollerSettings(QUEUE, URL, 1, maxMessages, Duration.ofSeconds(20),
                visibility, true, false), pollers.size() + 1, transport, permits, time, ReceiveGate.always(),
                new QueuePoller.ReceiveSink() {
                    @Override
                    public void accept(List<Message> messages) {
                        running.addAll(messages);
                    }

                    @Override
                    public void late(List<Message> messages) {
                        late.addAll(messages);
                    }
                }, Events.logOnly());
        pollers.add(poller);
        return poller;
    }

    private QueuePoller poller(Permits permits, int maxMessages) {
        return poller(permits, maxMessages, null);
    }

    /** Ends the oldest running handler, giving its slot back. */
    private void finishOne(Permits permits) {
        Message message = running.poll();
        assertThat(message).as("a handler is running").isNotNull();
        handled.add(message);
        permits.release(1);
    }

    @Test
    void receivesNoMoreThanFreeSlots() {
        Permits permits = new Permits(5);
        HeldSlots others = new HeldSlots(permits.acquireUpTo(3).join());

        poller(permits, 10).start();

        assertThat(transport.receiveRequests()).singleElement()
                .satisfies(request -> assertThat(request.maxNumberOfMessages()).isEqualTo(2));
        assertThat(permits.inUse()).isEqualTo(5);
        others.releaseTo(permits);
        assertThat(transport.receiveRequests()).as("the first receive is still open").hasSize(1);
    }

    @Test
    void receivesNoMoreThanMaxMessagesEvenWithMoreFreeSlots() {
        Permits permits = new Permits(50);

        poller(permits, 10).start();

        assertThat(transport.lastReceive().maxNumberOfMessages()).isEqualTo(10);
        assertThat(permits.inUse()).isEqualTo(10);
    }

    @Test
    void stopsReceivingWhenAllSlotsAreBusyAndResumesWhenOneFrees() {
        Permits permits = new Permits(2);
        poller(permits, 10).start();
        Receive first = transport.lastReceive();
        assertThat(first.maxNumberOfMessages()).isEqualTo(2);

        first.respond(message("a", "{}"), message("b", "{}"));

        assertThat(running).extracting(Message::messageId).containsExactly("a", "b");
        assertThat(transport.receives()).as("no slot free, so no receive").hasSize(1);
        assertThat(permits.inUse()).isEqualTo(2);

        finishOne(permits);

        assertThat(transport.receives()).hasSize(2);
        assertThat(transport.lastReceive().maxNumberOfMessages()).as("one slot is free").isEqualTo(1);
        assertThat(transport.lastReceive().isOpen()).isTrue();
    }

    @Test
    void returnsUnusedSlotsWhenFewerMessagesArriveThanAskedFor() {
        Permits permits = new Permits(4);
        poller(permits, 10).start();

        transport.lastReceive().respond(message("a", "{}"));

        assertThat(running).hasSize(1);
        assertThat(transport.receives()).hasSize(2);
        assertThat(transport.lastReceive().maxNumberOfMessages()).isEqualTo(3);
        assertThat(permits.inUse()).isEqualTo(4);
    }

    @Test
    void emptyLongPollGivesSlotsBackAndPollsAgain() {
        Permits permits = new Permits(3);
        poller(permits, 10).start();

        transport.lastReceive().respondEmpty();

        assertThat(transport.receives()).hasSize(2);
        assertThat(transport.lastReceive().maxNumberOfMessages()).isEqualTo(3);
        assertThat(running).isEmpty();
    }

    @Test
    void handlersRunningNeverExceedConcurrencyWhenTheQueueHasManyMessages() {
        int concurrency = 3;
        Permits permits = new Permits(concurrency);
        List<Integer> asked = new ArrayList<>();
        int[] maxRunning = {0};
        transport.onReceive(request -> {
            // At the moment of a receive: messages held by handlers + messages that open receives may still return +
            // this receive's maximum must fit in the handler slots.
            int promised = transport.openReceives().stream().mapToInt(Receive::maxNumberOfMessages).sum();
            assertThat(running.size() + promised + request.maxNumberOfMessages()).isLessThanOrEqualTo(concurrency);
            asked.add(request.maxNumberOfMessages());
        });
        transport.addMessages(messages(100));
        poller(permits, 10).start();
        poller(permits, 10).start();

        while (!running.isEmpty()) {
            maxRunning[0] = Math.max(maxRunning[0], running.size());
            assertThat(running.size()).isLessThanOrEqualTo(concurrency);
            finishOne(permits);
        }

        assertThat(handled).hasSize(100);
        assertThat(transport.waitingMessages()).isZero();
        assertThat(maxRunning[0]).as("all slots were used").isEqualTo(concurrency);
        assertThat(asked).allSatisfy(max -> assertThat(max).isBetween(1, concurrency));
        assertThat(transport.openReceives()).as("long polls open while the queue is empty").isNotEmpty();
        assertThat(permits.inUse()).as("only open receives hold slots")
                .isEqualTo(transport.openReceives().stream().mapToInt(Receive::maxNumberOfMessages).sum());
    }

    @Test
    void receiveIsALongPollAskingForAttributes() {
        poller(new Permits(4), 10, Duration.ofSeconds(45)).start();

        ReceiveMessageRequest request = transport.lastReceive().request();
        assertThat(request.queueUrl()).isEqualTo(URL);
        assertThat(request.waitTimeSeconds()).isEqualTo(20);
        assertThat(request.maxNumberOfMessages()).isEqualTo(4);
        assertThat(request.visibilityTimeout()).isEqualTo(45);
        assertThat(request.messageSystemAttributeNames()).contains(MessageSystemAttributeName.ALL);
        assertThat(request.messageAttributeNames()).contains("All");
    }

    @Test
    void receiveLeavesVisibilityToTheQueueWhenNotConfigured() {
        poller(new Permits(1), 10).start();

        assertThat(transport.lastReceive().request().visibilityTimeout()).isNull();
    }

    @Test
    void stopCancelsTheOpenReceiveAndReturnsItsSlots() {
        Permits permits = new Permits(5);
        QueuePoller poller = poller(permits, 10);
        poller.start();
        Receive open = transport.lastReceive();

        poller.stop();

        assertThat(open.isCancelled()).isTrue();
        assertThat(permits.inUse()).isZero();
        assertThat(poller.isRunning()).isFalse();
        assertThat(transport.receives()).hasSize(1);
    }

    @Test
    void stopWhileWaitingForSlotsAbandonsTheWait() {
        Permits permits = new Permits(1);
        QueuePoller poller = poller(permits, 10);
        poller.start();
        transport.lastReceive().respond(message("a", "{}"));
        assertThat(running).hasSize(1);

        poller.stop();
        finishOne(permits);

        assertThat(transport.receives()).as("no receive after stop").hasSize(1);
        assertThat(permits.inUse()).isZero();
        assertThat(permits.whenIdle()).isCompleted();
    }

    @Test
    void messagesReturnedAfterStopAreHandedBackNotHandled() {
        transport.receivesIgnoreCancel(true);
        Permits permits = new Permits(5);
        QueuePoller poller = poller(permits, 10);
        poller.start();
        Receive open = transport.lastReceive();

        poller.stop();
        assertThat(open.cancelAttempted()).isTrue();
        open.respond(message("late-1", "{}"), message("late-2", "{}"));

        assertThat(running).as("nothing is handled after stop").isEmpty();
        assertThat(late).extracting(Message::messageId).containsExactly("late-1", "late-2");
        assertThat(permits.inUse()).isZero();
        assertThat(transport.receives()).hasSize(1);
    }

    @Test
    void surplusMessagesBeyondTheRequestAreHandedBack() {
        Permits permits = new Permits(2);
        poller(permits, 10).start();

        transport.lastReceive().respond(message("a", "{}"), message("b", "{}"), message("c", "{}"));

        assertThat(running).extracting(Message::messageId).containsExactly("a", "b");
        assertThat(late).extracting(Message::messageId).containsExactly("c");
        assertThat(permits.inUse()).isEqualTo(2);
    }

    @Test
    void failedReceiveBacksOffOnTheSchedulerBeforeRetrying() {
        Permits permits = new Permits(3);
        poller(permits, 10).start();

        transport.lastReceive().fail(SdkClientException.create("connection reset"));

        assertThat(permits.inUse()).as("a failed receive holds no slots").isZero();
        assertThat(transport.receives()).hasSize(1);
        time.advance(Duration.ofMillis(99));
        assertThat(transport.receives()).as("first back-off is 100..200 ms").hasSize(1);
        time.advance(Duration.ofMillis(101));
        assertThat(transport.receives()).hasSize(2);

        transport.lastReceive().fail(SdkClientException.create("connection reset"));
        time.advance(Duration.ofMillis(199));
        assertThat(transport.receives()).as("second back-off is 200..400 ms").hasSize(2);
        time.advance(Duration.ofMillis(201));
        assertThat(transport.receives()).hasSize(3);

        transport.lastReceive().respondEmpty();
        assertThat(transport.receives()).as("a success polls again at once").hasSize(4);
        transport.lastReceive().fail(SdkClientException.create("connection reset"));
        time.advance(Duration.ofMillis(200));
        assertThat(transport.receives()).as("a success resets the back-off").hasSize(5);
    }

    @Test
    void stopCancelsAPendingBackOff() {
        Permits permits = new Permits(3);
        QueuePoller poller = poller(permits, 10);
        poller.start();
        transport.lastReceive().fail(SdkClientException.create("connection reset"));

        poller.stop();
        time.advance(Duration.ofMinutes(1));

        assertThat(transport.receives()).hasSize(1);
        assertThat(time.pendingTasks()).isZero();
        assertThat(permits.inUse()).isZero();
    }

    /** Slots someone else holds. */
    private record HeldSlots(int slots) {
        void releaseTo(Permits permits) {
            permits.release(slots);
        }
    }
}
