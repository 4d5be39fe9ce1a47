package io.sluice.benchmarks;

import io.sluice.producer.SqsProducer;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Sluice's producer as an application would use it: an {@link SqsProducer} over {@code SqsTransport.of(client)},
 * sending the {@link Order} objects to the queue by name (resolved once, then cached). {@code sluice-all} hands the
 * whole list to one {@code sendAll}; {@code sluice-single} sends each order with {@code sendAsync} from one thread that
 * keeps {@code senders} sends outstanding (default 64), with a batch window of {@code window} ms (default 10; 0 sends
 * each at once). {@code inFlight} sets {@code maxCallsInFlight}; anything not given keeps Sluice's default.
 */
final class SluiceSendContender implements SendContender {

    private final boolean single;
    private final int senders;
    private final String queueName;
    private final SqsProducer producer;

    SluiceSendContender(Map<String, String> options, boolean single, SqsAsyncClient client, String queueName) {
        this.single = single;
        this.senders = Contender.intOption(options, "senders", 64);
        this.queueName = queueName;
        SqsProducer.Builder builder = SqsProducer.builder().transport(SqsTransport.of(client));
        if (single) {
            builder.batchWindow(Duration.ofMillis(Contender.intOption(options, "window", 10)));
        }
        if (options.containsKey("inFlight")) {
            builder.maxCallsInFlight(Integer.parseInt(options.get("inFlight")));
        }
        this.producer = builder.build();
    }

    @Override
    public long send(List<Order> orders) throws Exception {
        if (!single) {
            return producer.sendAll(queueName, orders).failed().size();
        }
        Semaphore outstanding = new Semaphore(senders);
        LongAdder failed = new LongAdder();
        for (Order order : orders) {
            outstanding.acquire();
            producer.sendAsync(queueName, order).whenComplete((result, error) -> {
                if (error != null) {
                    failed.increment();
                }
                outstanding.release();
            });
        }
        outstanding.acquire(senders); // every send settled
        return failed.sum();
    }

    @Override
    public void close() {
        producer.close();
    }
}
