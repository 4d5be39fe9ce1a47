package io.sluice.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The producer baseline: a hand-written loop on the same {@link SqsAsyncClient} that writes each order with Jackson,
 * packs ten into a {@code SendMessageBatch} and keeps {@code inFlight} calls running at once (default 16, Sluice's
 * default {@code maxCallsInFlight}). Each entry's result is checked: an entry the response lists as failed, or does not
 * list, and every entry of a failed call counts as a failure; nothing is retried.
 */
final class RawSendContender implements SendContender {

    /** Sluice's default {@code SqsProducer.Builder.maxCallsInFlight}. */
    static final int IN_FLIGHT = 16;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int inFlight;
    private final SqsAsyncClient client;
    private final String queueUrl;

    RawSendContender(Map<String, String> options, SqsAsyncClient client, String queueUrl) {
        this.inFlight = Contender.intOption(options, "inFlight", IN_FLIGHT);
        this.client = client;
        this.queueUrl = queueUrl;
    }

    @Override
    public long send(List<Order> orders) throws Exception {
        Semaphore calls = new Semaphore(inFlight);
        LongAdder failed = new LongAdder();
        for (int first = 0; first < orders.size(); first += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(10);
            for (int i = first; i < Math.min(orders.size(), first + 10); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i - first))
                        .messageBody(MAPPER.writeValueAsString(orders.get(i))).build());
            }
            calls.acquire();
            client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).whenComplete((response, error) -> {
                if (error != null) {
                    failed.add(entries.size());
                } else {
                    failed.add(entries.size() - response.successful().size());
                }
                calls.release();
            });
        }
        calls.acquire(inFlight); // every call answered
        return failed.sum();
    }

    @Override
    public void close() {
    }
}
