package io.sluice.testing.conformance;

import static org.awaitility.Awaitility.await;

import io.sluice.it.ElasticMqServer;
import io.sluice.transport.SqsClientConfig;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The conformance suite against ElasticMQ embedded in the test JVM, over real HTTP with the real AWS SDK. */
class ElasticMqConformanceTest extends TransportConformance {

    private ElasticMqServer server;
    private SqsTransport transport;
    private SqsAsyncClient admin;

    @BeforeAll
    void start() {
        server = ElasticMqServer.start();
        transport = SqsTransport.create(SqsClientConfig.builder().endpoint(server.endpoint()).region("us-east-1")
                .credentials("test", "test").build());
        admin = adminClient(server.endpoint(), "us-east-1");
    }

    @AfterAll
    void stop() {
        admin.close();
        transport.close();
        server.close();
    }

    @Override
    SqsTransport transport() {
        return transport;
    }

    @Override
    void elapse(Duration duration) {
        await().pollDelay(duration).atMost(duration.plusSeconds(5)).until(() -> true);
    }

    @Override
    boolean virtualTime() {
        return false;
    }

    @Override
    void setQueueAttributes(String url, Map<String, String> attributes) {
        admin.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(attributes)).join();
    }

    /** What ElasticMQ 1.7.1 does differently from AWS, observed by running this suite; each case cites AWS. */
    @Override
    Set<Deviation> deviations() {
        return EnumSet.of(
                Deviation.EMPTY_BATCH_ACCEPTED,
                Deviation.INVALID_BATCH_ENTRY_ID_ACCEPTED,
                Deviation.OTHER_BATCH_TOO_LONG_ERROR,              // InvalidAttributeValue "MessageTooLong"
                Deviation.QUEUE_MAXIMUM_MESSAGE_SIZE_IGNORED,
                Deviation.OTHER_INVALID_CONTENTS_CODE,             // InvalidAttributeValue
                Deviation.NO_TWELVE_HOUR_LIMIT,
                Deviation.REPEATED_DELETE_REJECTED,                // ReceiptHandleIsInvalid on the second delete
                Deviation.STALE_HANDLE_REJECTED,                   // ReceiptHandleIsInvalid, standard and FIFO
                Deviation.FIFO_EXPIRED_HANDLE_ACCEPTED,            // deletes, or changes the visibility
                Deviation.NO_SEQUENCE_NUMBER_ON_SEND,
                Deviation.RETENTION_NOT_ENFORCED,                  // checked with -Dsluice.conformance.slow=true
                Deviation.FIFO_QUEUE_DELAY_NOT_RETROACTIVE,
                Deviation.RETRIED_RECEIVE_GETS_NEW_HANDLES,        // the same messages, new receipt handles
                Deviation.RECEIVE_ATTEMPT_ID_REJECTED_ON_STANDARD_QUEUE,
                Deviation.NOT_RETRYABLE_ATTEMPT_IS_A_SERVER_ERROR,
                Deviation.ATTRIBUTE_PREFIX_NOT_SUPPORTED,          // Order.* returns Order, not Order.id
                Deviation.FIFO_ENTRY_WITHOUT_ID_FAILS_ALONE,       // MissingParameter / InvalidParameterValue entry
                Deviation.ATTRIBUTE_NAME_NOT_CHECKED,              // AWS.x, 257 characters, "a b", ".a" all taken
                Deviation.ATTRIBUTE_TYPE_LENGTH_NOT_CHECKED,
                Deviation.UNKNOWN_ATTRIBUTE_TYPE_FAILS_THE_BATCH,  // InvalidParameterValue "Currently only handles ..."
                Deviation.EMPTY_BINARY_ATTRIBUTE_ACCEPTED,
                Deviation.ATTRIBUTE_VALUE_ERROR_IS_INVALID_ATTRIBUTE_VALUE,
                Deviation.NUMBER_RANGE_READ_AS_VALUES,             // -10^128..10^126, so 1E-129 and 39 digits pass
                Deviation.SYSTEM_ATTRIBUTE_NAME_NOT_CHECKED,       // a SenderId system attribute is taken
                Deviation.NO_MD5_OF_SYSTEM_ATTRIBUTES_ON_SEND);
    }
}
