package io.sluice.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.transport.SqsTransport;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * What every conformance case stands on: the transport under test and its clock, the {@link Deviation}s a server
 * declares (each one checked, never assumed, by {@link #unlessItDeviates}), and helpers that create queues and send,
 * receive, delete and change visibility through the SPI. The cases themselves are in {@link AttributesConformance},
 * {@link FifoConformance} and {@link TransportConformance}, which each transport's test class extends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConformanceSupport {

    /** Known ways in which a server differs from AWS; each is documented where a case depends on it. */
    enum Deviation {
        /** Accepts an empty batch instead of failing with EmptyBatchRequest. */
        EMPTY_BATCH_ACCEPTED,
        /** Accepts a batch entry id with characters other than letters, digits, - and _. */
        INVALID_BATCH_ENTRY_ID_ACCEPTED,
        /** Fails a batch over the size limit with another error than BatchRequestTooLong. */
        OTHER_BATCH_TOO_LONG_ERROR,
        /** Ignores a queue's MaximumMessageSize and accepts longer messages. */
        QUEUE_MAXIMUM_MESSAGE_SIZE_IGNORED,
        /** Reports the invalid-characters error with another error code than InvalidMessageContents. */
        OTHER_INVALID_CONTENTS_CODE,
        /** Accepts visibility timeouts beyond 12 hours (on receive, and in total after a change). */
        NO_TWELVE_HOUR_LIMIT,
        /** Rejects a second delete with the same (latest) receipt handle. */
        REPEATED_DELETE_REJECTED,
        /**
         * Rejects an earlier receive's receipt handle with ReceiptHandleIsInvalid (AWS: on a standard queue a delete
         * with it succeeds; on a FIFO queue the handle has expired, InvalidParameterValue).
         */
        STALE_HANDLE_REJECTED,
        /** Accepts a delete or visibility change with a FIFO receipt handle whose visibility timeout has run out. */
        FIFO_EXPIRED_HANDLE_ACCEPTED,
        /** Returns no SequenceNumber in the result of a FIFO send. */
        NO_SEQUENCE_NUMBER_ON_SEND,
        /** Keeps messages past the queue's MessageRetentionPeriod (stores the attribute, never expires a message). */
        RETENTION_NOT_ENFORCED,
        /** Applies a FIFO queue's changed DelaySeconds to later sends only (AWS: also to messages already queued). */
        FIFO_QUEUE_DELAY_NOT_RETROACTIVE,
        /** Returns new receipt handles to a receive retried with the same ReceiveRequestAttemptId. */
        RETRIED_RECEIVE_GETS_NEW_HANDLES,
        /** Rejects ReceiveRequestAttemptId on a standard queue instead of ignoring it. */
        RECEIVE_ATTEMPT_ID_REJECTED_ON_STANDARD_QUEUE,
        /** Fails a receive retried after one of its messages changed with a server error (500), not a client error. */
        NOT_RETRYABLE_ATTEMPT_IS_A_SERVER_ERROR,
        /** Does not return the message attributes whose names start with a requested prefix such as Order.* */
        ATTRIBUTE_PREFIX_NOT_SUPPORTED,
        /**
         * Fails only the entry of a FIFO batch that has no MessageGroupId (MissingParameter), or no
         * MessageDeduplicationId on a queue without content-based deduplication, and sends the others (AWS fails the
         * whole SendMessageBatch call).
         */
        FIFO_ENTRY_WITHOUT_ID_FAILS_ALONE,
        /**
         * Accepts any message attribute name: AWS. and Amazon. prefixes, over 256 characters, characters other than
         * letters, digits, _, - and ., a period first, last or doubled.
         */
        ATTRIBUTE_NAME_NOT_CHECKED,
        /** Accepts a message attribute data type over 256 characters. */
        ATTRIBUTE_TYPE_LENGTH_NOT_CHECKED,
        /** Fails the whole batch for an attribute data type other than String, Number or Binary (AWS: the entry). */
        UNKNOWN_ATTRIBUTE_TYPE_FAILS_THE_BATCH,
        /** Accepts a Binary message attribute with an empty value. */
        EMPTY_BINARY_ATTRIBUTE_ACCEPTED,
        /**
         * Reports an invalid message attribute value (empty, not a number, outside the allowed characters) with
         * InvalidAttributeValue instead of InvalidParameterValue.
         */
        ATTRIBUTE_VALUE_ERROR_IS_INVALID_ATTRIBUTE_VALUE,
        /**
         * Takes a Number attribute's range as values from -10^128 to 10^+126 with any precision (AWS: magnitudes from
         * 10^-128 to 10^+126, up to 38 digits of precision), so it accepts 1E-129 and 39 digits.
         */
        NUMBER_RANGE_READ_AS_VALUES,
        /** Accepts a message system attribute name other than AWSTraceHeader. */
        SYSTEM_ATTRIBUTE_NAME_NOT_CHECKED,
        /** Returns no MD5OfMessageSystemAttributes for a message sent with an AWSTraceHeader. */
        NO_MD5_OF_SYSTEM_ATTRIBUTES_ON_SEND
    }

    private static final AtomicInteger QUEUES = new AtomicInteger();
    final String run = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 1_000_000));

    /** The transport under test, shared by every case of the class. */
    abstract SqsTransport transport();

    /** Lets {@code duration} pass on the transport's clock (virtual time moves; a real server is waited for). */
    abstract void elapse(Duration duration);

    /** Whether {@link #elapse} is virtual (free); cases that need minutes of real time run only then. */
    abstract boolean virtualTime();

    /** Changes a queue's attributes: SetQueueAttributes, which is not part of the SPI (the worker never changes one). */
    abstract void setQueueAttributes(String url, Map<String, String> attributes);

    /**
     * Whether cases that need over a minute of real time run on a real server: only when the system property {@code
     * sluice.conformance.slow} is true ({@code mvn ... -Dsluice.conformance.slow=true}). They always run on virtual time.
     */
    boolean slowCases() {
        return virtualTime() || Boolean.getBoolean("sluice.conformance.slow");
    }

    /** How this transport deviates from AWS; empty for the in-memory transport. */
    Set<Deviation> deviations() {
        return Set.of();
    }

    /**
     * On a transport that declares {@code deviation}: checks that it still behaves as the deviation says ({@code
     * observed}), so that a server which fixes it fails here and the declaration is removed, then ends the case as
     * skipped, naming the deviation. Elsewhere does nothing, and the case goes on to hold the transport to AWS.
     */
    final void unlessItDeviates(Deviation deviation, Runnable observed) {
        if (deviations().contains(deviation)) {
            observed.run();
            Assumptions.abort("documented deviation from AWS, still observed: " + deviation);
        }
    }

    // ================================================================ helpers

    /** A new standard queue named uniquely for this run; returns its URL. */
    String queue(String purpose, Map<String, String> attributes) {
        String name = "c" + run + "-" + QUEUES.incrementAndGet() + "-" + purpose;
        return transport().createQueue(CreateQueueRequest.builder().queueName(name).attributesWithStrings(attributes)
                .build()).join().queueUrl();
    }

    String fifoQueue(String purpose, Map<String, String> attributes) {
        Map<String, String> fifo = new HashMap<>(attributes);
        fifo.put("FifoQueue", "true");
        String name = "c" + run + "-" + QUEUES.incrementAndGet() + "-" + purpose + ".fifo";
        return transport().createQueue(CreateQueueRequest.builder().queueName(name).attributesWithStrings(fifo)
                .build()).join().queueUrl();
    }

    String redrivePolicy(String deadLetterQueueUrl, int maxReceiveCount) {
        String arn = attributes(deadLetterQueueUrl).get("QueueArn");
        return "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}";
    }

    /** A client of a real server for what the SPI does not offer (SetQueueAttributes); the caller closes it. */
    static SqsAsyncClient adminClient(URI endpoint, String region) {
        return SqsAsyncClient.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    static SendMessageBatchRequestEntry.Builder entry(String body) {
        return SendMessageBatchRequestEntry.builder().id("e").messageBody(body);
    }

    static MessageAttributeValue stringAttribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    SendMessageBatchResultEntry send(String url, String body) {
        return send(url, entry(body));
    }

    SendMessageBatchResultEntry send(String url, SendMessageBatchRequestEntry.Builder entry) {
        SendMessageBatchResponse response = sendBatch(url, entry);
        assertThat(response.failed()).as("send failures").isEmpty();
        return response.successful().get(0);
    }

    SendMessageBatchResponse sendBatch(String url, SendMessageBatchRequestEntry.Builder... entries) {
        List<SendMessageBatchRequestEntry> built = new ArrayList<>();
        for (SendMessageBatchRequestEntry.Builder entry : entries) {
            built.add(entry.build());
        }
        return transport().sendMessageBatch(b -> b.queueUrl(url).entries(built)).join();
    }

    /**
     * Asserts that of a send batch's entries exactly those with ids {@code failed} failed, each with {@code code} and the
     * sender at fault, and every other entry was sent.
     */
    static void assertFailed(SendMessageBatchResponse response, String code, String... failed) {
        assertThat(response.failed()).extracting(BatchResultErrorEntry::id).containsExactlyInAnyOrder(failed);
        assertThat(response.failed()).allSatisfy(entry -> {
            assertThat(entry.code()).as(entry.id() + ": " + entry.message()).isEqualTo(code);
            assertThat(entry.senderFault()).isTrue();
        });
        assertThat(response.successful()).extracting(SendMessageBatchResultEntry::id).doesNotContain(failed);
    }

    /** Receives at most {@code max} messages, waiting briefly on a real server for one to be there. */
    List<Message> receive(String url, int max) {
        return receive(url, b -> b.maxNumberOfMessages(max));
    }

    List<Message> receive(String url, Consumer<ReceiveMessageRequest.Builder> request) {
        ReceiveMessageRequest.Builder builder = ReceiveMessageRequest.builder().queueUrl(url)
                .waitTimeSeconds(pollWait()).messageSystemAttributeNamesWithStrings("All").messageAttributeNames("All");
        request.accept(builder);
        return transport().receiveMessage(builder.build()).join().messages();
    }

    /** A short-poll receive: what is available right now. */
    List<Message> receiveNow(String url, int max) {
        return receive(url, b -> b.maxNumberOfMessages(max).waitTimeSeconds(0));
    }

    DeleteMessageBatchResponse delete(String url, String... handles) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < handles.length; i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(handles[i]).build());
        }
        return transport().deleteMessageBatch(b -> b.queueUrl(url).entries(entries)).join();
    }

    ChangeMessageVisibilityBatchResponse changeVisibility(String url, String handle, int seconds) {
        return transport().changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(
                ChangeMessageVisibilityBatchRequestEntry.builder().id("v").receiptHandle(handle)
                        .visibilityTimeout(seconds).build())).join();
    }

    Map<String, String> attributes(String url) {
        return transport().getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(url)
                .attributeNamesWithStrings("All").build()).join().attributesAsStrings();
    }

    int count(String url, String attribute) {
        return Integer.parseInt(attributes(url).get(attribute));
    }

    /** The long-poll wait that helper receives use: none on virtual time (nothing would end it). */
    int pollWait() {
        return virtualTime() ? 0 : 1;
    }

    /** Epoch millis on the transport's clock. */
    long nowMillis() {
        return System.currentTimeMillis();
    }

    static Throwable failure(CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("expected the call to fail, but: " + e, e);
        }
        throw new AssertionError("expected the call to fail, but it succeeded");
    }

    static String md5OfAttributes(Map<String, MessageAttributeValue> attributes) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("MD5");
        for (Map.Entry<String, MessageAttributeValue> entry : new TreeMap<>(attributes).entrySet()) {
            lengthPrefixed(digest, entry.getKey().getBytes(StandardCharsets.UTF_8));
            lengthPrefixed(digest, entry.getValue().dataType().getBytes(StandardCharsets.UTF_8));
            if (entry.getValue().binaryValue() != null) {
                digest.update((byte) 2);
                lengthPrefixed(digest, entry.getValue().binaryValue().asByteArray());
            } else {
                digest.update((byte) 1);
                lengthPrefixed(digest, entry.getValue().stringValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void lengthPrefixed(MessageDigest digest, byte[] bytes) {
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }
}
