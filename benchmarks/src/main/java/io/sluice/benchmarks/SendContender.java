package io.sluice.benchmarks;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * One way of sending the benchmark's orders to the queue, run inside the producer JVM ({@link ProducerMain}) on the
 * shared, instrumented SQS client. A spec names it and its options: {@code raw}, {@code raw:inFlight=16}, {@code
 * sluice-all}, {@code sluice-single:window=10,senders=64}.
 */
interface SendContender extends AutoCloseable {

    /** Sends every order; returns once each was acknowledged or failed for good, with how many failed. */
    long send(List<Order> orders) throws Exception;

    @Override
    void close();

    static SendContender create(String spec, SqsAsyncClient client, String queueName, String queueUrl) {
        String kind = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
        Map<String, String> options = Contender.options(spec);
        return switch (kind) {
            case "raw" -> new RawSendContender(options, client, queueUrl);
            case "sluice-all" -> new SluiceSendContender(options, false, client, queueName);
            case "sluice-single" -> new SluiceSendContender(options, true, client, queueName);
            default -> throw new IllegalArgumentException("unknown send contender '" + spec
                    + "': use raw, sluice-all or sluice-single[:k=v,...]");
        };
    }
}
