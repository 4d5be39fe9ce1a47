package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.Delivery;
import io.sluice.HandlerDefinitionException;
import io.sluice.MessageBindingException;
import io.sluice.QueueConfig;
import io.sluice.Worker;
import io.sluice.WorkerConfig;
import io.sluice.WorkerEvent;
import io.sluice.WorkerListener;
import io.sluice.annotations.MessageId;
import io.sluice.annotations.ReceiveCount;
import io.sluice.annotations.SqsHandler;
import io.sluice.internal.events.PipelineLog;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * End-to-end behaviour of a worker against a real SQS-compatible server over real HTTP with the real AWS SDK. Each
 * server (embedded ElasticMQ, LocalStack) runs the same cases by extending this class.
 */
abstract class WorkerContract extends ServerContract {

    WorkerContract(Supplier<TestServer> server) {
        super(server);
    }


    @Test
    void handlesAndDeletesAThousandMessagesAndLeavesTheQueueEmpty() {
        SqsTransport sqs = client();
        String queue = "it-thousand";
        String url = createQueue(sqs, queue, Map.of());
        Set<String> sent = sendMessages(sqs, url, 1000, i -> "{\"n\": " + i + "}");

        Set<String> handled = ConcurrentHashMap.newKeySet();
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        Object handler = new Object() {
            @SqsHandler(queue = "it-thousand")
            public void handle(Map<String, Integer> body, @MessageId String id) {
                if (!handled.add(id)) {
                    duplicates.incrementAndGet();
                }
            }
        };
        startWorker(queue, handler, WorkerConfig.builder().concurrency(50).build(),
                deletedInto(deleted));

        await().atMost(Duration.ofSeconds(60)).until(() -> deleted.size() == 1000);
        assertThat(handled).isEqualTo(sent);
        assertThat(duplicates).hasValue(0);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, String> attributes = attributes(sqs, url);
            assertThat(attributes.get("ApproximateNumberOfMessages")).isEqualTo("0");
            assertThat(attributes.get("ApproximateNumberOfMessagesNotVisible")).isEqualTo("0");
        });
    }

    @Test
    void redeliversAfterVisibilityTimeoutWhenHandlerThrows() {
        SqsTransport sqs = client();
        String queue = "it-redeliver";
        // 4 s: the heartbeat keeps the message invisible through the in-process retries with seconds to spare, even
        // on a starved machine; the redelivery after them is set by the back-off, not by this timeout.
        String url = createQueue(sqs, queue, Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "4"));
        sendMessages(sqs, url, 1, i -> "{\"n\": 1}");

        List<Integer> receiveCounts = new CopyOnWriteArrayList<>();
        List<Instant> attempts = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        Object handler = new Object() {
            @SqsHandler(queue = "it-redeliver")
            public void handle(String body, @ReceiveCount int receiveCount) {
                receiveCounts.add(receiveCount);
                attempts.add(Instant.now());
                if (receiveCount == 1) {
                    throw new IllegalStateException("downstream unavailable");
                }
            }
        };
        startWorker(queue, handler, WorkerConfig.defaults(), event -> {
            if (event instanceof WorkerEvent.Failed failed) {
                failures.add(failed.cause());
            } else if (event instanceof WorkerEvent.Deleted done) {
                deleted.add(done.delivery().messageId());
            }
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> deleted.size() == 1);
        // Three calls on the first delivery (in-process retry), then a redelivery.
        assertThat(receiveCounts).containsExactly(1, 1, 1, 2);
        assertThat(failures).hasSize(3).allSatisfy(cause ->
                assertThat(cause).isInstanceOf(IllegalStateException.class).hasMessage("downstream unavailable"));
        // Not before the redelivery back-off (5 s, jittered down to no less than 3 s) ran out: no hot loop.
        assertThat(Duration.between(attempts.get(2), attempts.get(3))).isGreaterThan(Duration.ofMillis(1500));
    }

    @Test
    void malformedBodyIsLoggedWithoutItsBodyAndDoesNotStopThePoller() {
        SqsTransport sqs = client();
        String queue = "it-malformed";
        String url = createQueue(sqs, queue, Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60"));
        String secret = "card-4111-1111-1111-1111";
        Set<String> poison = sendMessages(sqs, url, 1, i -> "{\"order_id\": \"" + secret + "\", oops");
        Set<String> good = sendMessages(sqs, url, 20, i -> "{\"order_id\": \"ord-" + i + "\"}");

        ListAppender<ILoggingEvent> logs = captureLogs(PipelineLog.class);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Object handler = new Object() {
            @SqsHandler(queue = "it-malformed")
            public void handle(Map<String, String> order, @MessageId String id) {
                handled.add(id);
            }
        };
        startWorker(queue, handler, WorkerConfig.defaults(), event -> {
            if (event instanceof WorkerEvent.Failed failed) {
                failures.add(failed.cause());
            } else if (event instanceof WorkerEvent.Deleted done) {
                deleted.add(done.delivery().messageId());
            }
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> deleted.containsAll(good) && !failures.isEmpty());
        String poisonId = poison.iterator().next();
        assertThat(handled).isEqualTo(good);
        assertThat(deleted).doesNotContain(poisonId);
        assertThat(failures).singleElement().isInstanceOfSatisfying(MessageBindingException.class, e -> {
            assertThat(e.queue()).isEqualTo(queue);
            assertThat(e.messageId()).isEqualTo(poisonId);
            assertThat(e.handler()).endsWith(".handle");
        });
        // The listener hears of the failure just before the warning is logged, on the handler's thread: wait for it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> warnings;
            synchronized (logs) {
                warnings = logs.list.stream().filter(event -> event.getLevel() == Level.WARN)
                        .map(ILoggingEvent::getFormattedMessage).toList();
            }
            assertThat(warnings).singleElement().satisfies(line -> {
                assertThat(line).contains(queue).contains(poisonId).contains(".handle");
                assertThat(line).doesNotContain(secret);
            });
        });
        // The poison message is still on the queue (in flight until its visibility timeout), not deleted.
        assertThat(attributes(sqs, url).get("ApproximateNumberOfMessagesNotVisible")).isEqualTo("1");
    }

    @Test
    void stopWithMessagesInFlightLosesNone() throws Exception {
        SqsTransport sqs = client();
        String queue = "it-stop";
        String url = createQueue(sqs, queue, Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "2"));
        Set<String> sent = sendMessages(sqs, url, 200, i -> "{\"n\": " + i + "}");

        CountDownLatch gate = new CountDownLatch(1);
        Set<String> deletedByFirst = ConcurrentHashMap.newKeySet();
        AtomicInteger started = new AtomicInteger();
        Object slowHandler = new Object() {
            @SqsHandler(queue = "it-stop")
            public void handle(String body) throws InterruptedException {
                started.incrementAndGet();
                gate.await(30, TimeUnit.SECONDS); // stands for slow work still running when stop() is called
            }
        };
        Worker first = startWorker(queue, slowHandler, WorkerConfig.builder().concurrency(10)
                .shutdownTimeout(Duration.ofSeconds(20)).build(), deletedInto(deletedByFirst));
        await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 10);

        Thread stopper = new Thread(first::stop);
        stopper.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !first.isRunning());
        gate.countDown(); // the in-flight handlers finish during stop()
        stopper.join(TimeUnit.SECONDS.toMillis(25));
        assertThat(stopper.isAlive()).isFalse();
        assertThat(deletedByFirst).hasSize(10);
        assertThat(started).hasValue(10); // nothing new was started once stop() began

        Set<String> deletedBySecond = ConcurrentHashMap.newKeySet();
        Object fastHandler = new Object() {
            @SqsHandler(queue = "it-stop")
            public void handle(String body) {
            }
        };
        startWorker(queue, fastHandler, WorkerConfig.defaults(), deletedInto(deletedBySecond));
        await().atMost(Duration.ofSeconds(30)).until(() -> deletedByFirst.size() + deletedBySecond.size() >= sent.size());
        Set<String> all = new HashSet<>(deletedByFirst);
        all.addAll(deletedBySecond);
        assertThat(all).isEqualTo(sent);
        assertThat(deletedBySecond).doesNotContainAnyElementsOf(deletedByFirst);
    }

    @Test
    void missingQueueFailsStartupNamingTheQueueAndHandler() {
        String queue = "it-missing";
        Object handler = new Object() {
            @SqsHandler(queue = "it-missing")
            public void handle(String body) {
            }
        };
        Worker worker = Worker.builder().transport(transport()).handlers(handler)
                .build();
        closeAfterEach(worker::stop);
        assertThatThrownBy(worker::start)
                .isInstanceOf(HandlerDefinitionException.class)
                .hasMessageContaining("'" + queue + "'")
                .hasMessageContaining(".handle")
                .hasMessageContaining("does not exist");
    }

    @Test
    void createdQueueDeadLettersAMessageAfterThreeFailedReceives() {
        SqsTransport sqs = client();
        String queue = "it-poison";
        AtomicInteger attempts = new AtomicInteger();
        Object handler = new Object() {
            @SqsHandler(queue = "it-poison")
            public void handle(String body) {
                attempts.incrementAndGet();
                throw new IllegalStateException("always fails");
            }
        };
        WorkerConfig config = WorkerConfig.builder()
                .createQueues(true)
                // 3 s, not 1: the heartbeat extends at two thirds of it, and a starved machine must not miss that
                // (a lapse is a fourth receive, and SQS's own redrive, without the reason)
                .visibilityTimeout(Duration.ofSeconds(3))
                .retry(io.sluice.RetryPolicy.builder().backoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(2))
                        .build())
                .queue(queue, QueueConfig.builder().maxReceiveCount(3).build())
                .build();
        startWorker(queue, handler, config, WorkerListener.none());
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).join().queueUrl();
        String dlqUrl = sqs.getQueueUrl(b -> b.queueName(queue + "-dlq")).join().queueUrl();
        assertThat(attributes(sqs, url).get("RedrivePolicy")).contains("maxReceiveCount").contains(queue + "-dlq");
        sendMessages(sqs, url, 1, i -> "{\"n\": 1}");

        List<Message> dead = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            dead.addAll(sqs.receiveMessage(b -> b.queueUrl(dlqUrl).waitTimeSeconds(1)
                    .messageSystemAttributeNamesWithStrings("All").messageAttributeNames("All")).join().messages());
            return !dead.isEmpty();
        });
        assertThat(attempts).as("3 deliveries x 3 calls").hasValue(9);
        assertThat(dead).singleElement().satisfies(message -> {
            assertThat(message.body()).isEqualTo("{\"n\": 1}");
            assertThat(message.messageAttributes().get("sluice.error.message").stringValue()).isEqualTo("always fails");
            assertThat(message.messageAttributes().get("sluice.attempts").stringValue()).isEqualTo("3");
        });
    }

    // ---- helpers ----

    private Worker startWorker(String queue, Object handler, WorkerConfig config, WorkerListener listener) {
        Worker worker = Worker.builder()
                .transport(transport())
                .handlers(handler)
                .config(config)
                .listener(listener)
                .build();
        closeAfterEach(() -> worker.stop(Duration.ofSeconds(5)));
        return worker.start();
    }

    private static WorkerListener deletedInto(Set<String> deleted) {
        return WorkerListener.on(WorkerEvent.Deleted.class, done -> deleted.add(done.delivery().messageId()));
    }






    private ListAppender<ILoggingEvent> captureLogs(Class<?> type) {
        Logger logger = (Logger) LoggerFactory.getLogger(type);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        closeAfterEach(() -> logger.detachAppender(appender));
        return appender;
    }
}
