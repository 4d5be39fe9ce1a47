package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.QueueConfig;
import io.sluice.Worker;
import io.sluice.WorkerConfig;
import io.sluice.WorkerEvent;
import io.sluice.WorkerListener;
import io.sluice.annotations.MessageId;
import io.sluice.annotations.Redelivery;
import io.sluice.annotations.Retry;
import io.sluice.annotations.SqsHandler;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * FIFO order and per-group caps end to end on a real server: a queue filled before the worker starts (sending while it
 * runs would hide ordering bugs), failures in the middle of groups (retried in process, redelivered after a back-off,
 * poison), and every group's messages handled in the order sent, one at a time.
 */
abstract class FifoContract extends ServerContract {

    FifoContract(Supplier<TestServer> server) {
        super(server);
    }

    private static final int GROUPS = 5;
    private static final int PER_GROUP = 30;

    /** Fails g1:10's whole first delivery, g2:5's first call; g3:20 is poison. Records the order per group. */
    static final class PaymentsHandler {
        final Map<String, List<Integer>> firstHandled = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        final AtomicInteger mostInOneGroup = new AtomicInteger();
        final Map<String, Integer> calls = new ConcurrentHashMap<>();
        final Set<String> done = ConcurrentHashMap.newKeySet();

        @SqsHandler(queue = "it-payments.fifo", concurrency = 10)
        @Retry(attempts = 2, delayMillis = 50, noRetryOn = IllegalArgumentException.class)
        @Redelivery(maxAttempts = 3, backoffSeconds = 1, maxBackoffSeconds = 1)
        public void handle(String body, @MessageId String id) {
            String group = body.substring(0, body.indexOf(':'));
            int sequence = Integer.parseInt(body.substring(body.indexOf(':') + 1));
            int inGroup = running.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet();
            mostInOneGroup.accumulateAndGet(inGroup, Math::max);
            try {
                int call = calls.merge(body, 1, Integer::sum);
                if (body.equals("g1:10") && call <= 2) {
                    throw new IllegalStateException("downstream down for g1:10's first delivery");
                }
                if (body.equals("g2:5") && call == 1) {
                    throw new IllegalStateException("a hiccup on g2:5's first call");
                }
                if (body.equals("g3:20")) {
                    throw new IllegalArgumentException("g3:20 can never be processed");
                }
                if (done.add(body)) {
                    firstHandled.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>()).add(sequence);
                }
            } finally {
                running.get(group).decrementAndGet();
            }
        }
    }

    @Test
    void aPrefilledFifoQueueIsHandledInOrderPerGroupThroughRetriesRedeliveriesAndPoison() {
        SqsTransport sqs = client();
        String dlqUrl = createQueue(sqs, "it-payments-dlq.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true"));
        String dlqArn = attributes(sqs, dlqUrl).get("QueueArn");
        String url = createQueue(sqs, "it-payments.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.VISIBILITY_TIMEOUT, "5",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn
                        + "\",\"maxReceiveCount\":\"10\"}"));
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 1; i <= PER_GROUP; i++) {
            for (int g = 1; g <= GROUPS; g++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("g" + g + "-" + i).messageBody("g" + g + ":" + i)
                        .messageGroupId("g" + g).messageDeduplicationId("g" + g + "-" + i).build());
            }
        }
        // Sent in order, one batch after the other: the queue holds every group's backlog before the worker starts.
        for (int from = 0; from < entries.size(); from += 10) {
            List<SendMessageBatchRequestEntry> batch = entries.subList(from, Math.min(entries.size(), from + 10));
            assertThat(sqs.sendMessageBatch(b -> b.queueUrl(url).entries(batch)).join().failed()).isEmpty();
        }
        PaymentsHandler handler = new PaymentsHandler();
        Set<String> groupsStopped = ConcurrentHashMap.newKeySet();
        Worker worker = Worker.builder().transport(transport()).handlers(handler)
                .config(WorkerConfig.builder().waitTime(Duration.ofSeconds(1)).build())
                .listener(WorkerListener.on(WorkerEvent.GroupStopped.class, stopped -> groupsStopped.add(
                        stopped.groupId())))
                .build();
        closeAfterEach(() -> worker.stop(Duration.ofSeconds(10)));
        worker.start();

        await().atMost(Duration.ofSeconds(90)).until(() -> handler.done.size() == GROUPS * PER_GROUP - 1);
        for (int g = 1; g <= GROUPS; g++) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 1; i <= PER_GROUP; i++) {
                if (!(g == 3 && i == 20)) {
                    expected.add(i);
                }
            }
            assertThat(handler.firstHandled.get("g" + g)).as("group g" + g + " handled in the order sent")
                    .isEqualTo(expected);
        }
        assertThat(handler.mostInOneGroup).as("one message of a group at a time").hasValue(1);
        assertThat(handler.calls.get("g1:10")).as("two calls on its first delivery, one on its second").isEqualTo(3);
        assertThat(groupsStopped).as("g1:10's redelivery stopped its group").contains("g1");
        List<Message> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            dead.addAll(sqs.receiveMessage(b -> b.queueUrl(dlqUrl).maxNumberOfMessages(10)
                    .messageSystemAttributeNamesWithStrings("All").messageAttributeNames("All")).join().messages());
            return !dead.isEmpty();
        });
        assertThat(dead).singleElement().satisfies(message -> {
            assertThat(message.body()).isEqualTo("g3:20");
            assertThat(message.attributesAsStrings()).containsEntry("MessageGroupId", "g3");
            assertThat(message.messageAttributes().get("sluice.error.class").stringValue())
                    .isEqualTo(IllegalArgumentException.class.getName());
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, String> attributes = attributes(sqs, url);
            assertThat(attributes.get("ApproximateNumberOfMessages")).isEqualTo("0");
            assertThat(attributes.get("ApproximateNumberOfMessagesNotVisible")).isEqualTo("0");
        });
    }

    /**
     * Records the most calls of one tenant at once. A noisy tenant's call blocks until a quiet tenant's call has run:
     * with the cap, the quiet ones still get handler slots beside the blocked noisy ones; without it, the noisy ones
     * would hold every slot.
     */
    static final class TenantHandler {
        final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> most = new ConcurrentHashMap<>();
        final Set<String> handled = ConcurrentHashMap.newKeySet();
        final java.util.concurrent.CountDownLatch quietRan = new java.util.concurrent.CountDownLatch(1);
        final AtomicInteger noisyGaveUpWaiting = new AtomicInteger();

        @SqsHandler(queue = "it-tenants", concurrency = 20, maxConcurrencyPerGroup = 2)
        public void handle(String body, @MessageId String id) throws InterruptedException {
            String tenant = body.substring(0, body.indexOf(':'));
            int now = running.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
            most.computeIfAbsent(tenant, t -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            try {
                if (tenant.equals("noisy")) {
                    if (!quietRan.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
                        noisyGaveUpWaiting.incrementAndGet();
                    }
                } else {
                    quietRan.countDown();
                }
                handled.add(id);
            } finally {
                running.get(tenant).decrementAndGet();
            }
        }
    }

    @Test
    void aPerGroupCapKeepsOneNoisyTenantFromTakingEveryHandlerSlot() {
        SqsTransport sqs = client();
        String url = createQueue(sqs, "it-tenants", Map.of());
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String tenant = i % 5 == 4 ? "quiet-" + (i % 4) : "noisy"; // four noisy messages to every quiet one
            entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(tenant + ":" + i)
                    .messageGroupId(tenant).build());
        }
        for (int from = 0; from < entries.size(); from += 10) {
            List<SendMessageBatchRequestEntry> batch = entries.subList(from, from + 10);
            assertThat(sqs.sendMessageBatch(b -> b.queueUrl(url).entries(batch)).join().failed()).isEmpty();
        }
        TenantHandler handler = new TenantHandler();
        Worker worker = Worker.builder().transport(transport()).handlers(handler)
                .config(WorkerConfig.builder().waitTime(Duration.ofSeconds(1))
                        .queue("it-tenants", QueueConfig.builder().visibilityTimeout(Duration.ofSeconds(30)).build())
                        .build())
                .build();
        closeAfterEach(() -> worker.stop(Duration.ofSeconds(10)));
        worker.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> handler.handled.size() == 100);
        assertThat(handler.most.get("noisy")).as("at most two of one tenant at once").hasValueLessThanOrEqualTo(2);
        assertThat(handler.noisyGaveUpWaiting).as("quiet tenants ran while noisy calls were blocked").hasValue(0);
    }
}
