package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.annotations.ReceiveCount;
import io.sluice.annotations.SqsHandler;
import io.sluice.producer.OutgoingMessage;
import io.sluice.producer.SqsProducer;
import io.sluice.testutil.FaultyTransport;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scheduled delivery beyond SQS's 15 minutes, on virtual time: the message is handled once, when it is due, with a
 * fresh receive count, and never reaches the dead-letter queue however long it waited.
 */
class WorkerScheduledDeliveryTest {

    private final InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 5);
    private final SqsProducer producer = SqsProducer.builder().transport(world.sqs).scheduler(world.time).build();

    @AfterEach
    void close() {
        producer.close();
        world.close();
    }

    record Handled(String body, Instant at, int receiveCount) {
    }

    static final class Reminders {
        final List<Handled> handled = new CopyOnWriteArrayList<>();
        final io.sluice.time.VirtualTime time;

        Reminders(io.sluice.time.VirtualTime time) {
            this.time = time;
        }

        @SqsHandler(queue = "reminders")
        public void handle(String body, @ReceiveCount int receiveCount) {
            handled.add(new Handled(body, time.clock().instant(), receiveCount));
        }
    }

    private String dlqUrl() {
        return world.sqs.getQueueUrl(b -> b.queueName("reminders-dlq")).join().queueUrl();
    }

    private int messagesIn(String url) {
        Map<String, String> attributes = world.sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed")).join().attributesAsStrings();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    @Test
    void aMessageDueInAnHourIsHandledOnceWhenDueAndNeverReachesTheDeadLetterQueue() {
        String url = world.queueWithDeadLetterQueue("reminders", "reminders-dlq", 3, Map.of("VisibilityTimeout", "30"));
        Reminders reminders = new Reminders(world.time);
        world.start(Worker.builder().handlers(reminders));
        Instant due = world.time.clock().instant().plus(Duration.ofHours(1));

        producer.send("reminders", OutgoingMessage.of("call the customer").deliverAt(due));
        world.runUntil(() -> !reminders.handled.isEmpty(), Duration.ofSeconds(5), Duration.ofHours(2));
        world.runUntil(() -> false, Duration.ofSeconds(5), Duration.ofMinutes(30)); // nothing more happens

        assertThat(reminders.handled).singleElement().satisfies(handled -> {
            assertThat(handled.body()).isEqualTo("call the customer");
            assertThat(handled.at()).isBetween(due, due.plusSeconds(30));
            assertThat(handled.receiveCount()).isEqualTo(1);
        });
        // Sent with SQS's 15 minutes; received at 0:15 and held 30 minutes; received at 0:45 and sent again with 15
        // minutes (so the handled delivery starts from receive count 1); handled at 1:00.
        assertThat(world.events.of(WorkerEvent.Postponed.class))
                .allSatisfy(postponed -> assertThat(postponed.due()).isEqualTo(due))
                .extracting(WorkerEvent.Postponed::resent, postponed -> Math.round(postponed.hold().toSeconds() / 60.0))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(false, 30L),
                        org.assertj.core.groups.Tuple.tuple(true, 15L));
        assertThat(world.events.of(WorkerEvent.Failed.class)).isEmpty();
        assertThat(messagesIn(dlqUrl())).isZero();
        assertThat(messagesIn(url)).isZero();
    }

    @Test
    void aMessageDueInThreeDaysOutlivesTheRedrivePolicyWithoutSpendingItsReceives() {
        world.queueWithDeadLetterQueue("reminders", "reminders-dlq", 3, Map.of("VisibilityTimeout", "30"));
        Reminders reminders = new Reminders(world.time);
        world.start(Worker.builder().handlers(reminders));
        Instant due = world.time.clock().instant().plus(Duration.ofDays(3));

        producer.send("reminders", OutgoingMessage.of("renew").deliverAt(due));
        world.runUntil(() -> !reminders.handled.isEmpty(), Duration.ofMinutes(1), Duration.ofDays(4));

        assertThat(reminders.handled).singleElement().satisfies(handled -> {
            assertThat(handled.at()).isBetween(due, due.plus(Duration.ofMinutes(2)));
            assertThat(handled.receiveCount()).isEqualTo(1);
        });
        List<WorkerEvent.Postponed> postponed = world.events.of(WorkerEvent.Postponed.class);
        assertThat(postponed).extracting(WorkerEvent.Postponed::resent).contains(true, false);
        assertThat(postponed).allSatisfy(event -> assertThat(event.delivery().receiveCount()).isLessThan(3));
        assertThat(postponed.size()).as("postponements in 3 days").isLessThan(20);
        assertThat(messagesIn(dlqUrl())).isZero();
    }

    @Test
    void aMessageDueWithinFifteenMinutesUsesSqsDelayAndIsNeverPostponed() {
        world.queueWithDeadLetterQueue("reminders", "reminders-dlq", 3, Map.of());
        Reminders reminders = new Reminders(world.time);
        world.start(Worker.builder().handlers(reminders));

        producer.send("reminders", OutgoingMessage.of("soon").delay(Duration.ofMinutes(10)));
        world.runUntil(() -> !reminders.handled.isEmpty(), Duration.ofSeconds(5), Duration.ofMinutes(20));

        assertThat(reminders.handled).hasSize(1);
        assertThat(world.events.of(WorkerEvent.Postponed.class)).isEmpty();
    }

    @Test
    void aReSendThatFailsLeavesTheMessageWhichComesBackAndIsHandledOnce() {
        world.queueWithDeadLetterQueue("reminders", "reminders-dlq", 3, Map.of("VisibilityTimeout", "30"));
        Reminders reminders = new Reminders(world.time);
        FaultyTransport faulty = new FaultyTransport(world.sqs);
        faulty.failSends.set(1_000);
        world.start(Worker.builder().handlers(reminders), faulty);
        Instant due = world.time.clock().instant().plus(Duration.ofMinutes(20));

        producer.send("reminders", OutgoingMessage.of("retry me").deliverAt(due));
        world.runUntil(() -> !world.events.of(WorkerEvent.Left.class).isEmpty(), Duration.ofSeconds(1),
                Duration.ofMinutes(20));
        faulty.failSends.set(0);
        world.runUntil(() -> !reminders.handled.isEmpty(), Duration.ofSeconds(5), Duration.ofMinutes(30));

        assertThat(world.events.of(WorkerEvent.Left.class)).singleElement()
                .satisfies(left -> assertThat(left.reason()).isEqualTo("sending it again with a fresh delay failed"));
        assertThat(reminders.handled).singleElement().satisfies(handled -> {
            assertThat(handled.at()).isAfterOrEqualTo(due);
            assertThat(handled.receiveCount()).isEqualTo(1);
        });
        assertThat(messagesIn(dlqUrl())).isZero();
    }
}
