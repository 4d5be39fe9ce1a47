package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.transport.SqsClientConfig;
import io.sluice.transport.SqsTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * What every end-to-end contract needs from the server under test: the {@link TestServer} (started once per class,
 * stopped after it), transports to it, resources closed after each case, and the helpers a test uses to send and
 * inspect. A server runs a contract by a subclass that names it: {@code class ElasticMqFifoIT extends FifoContract {
 * ElasticMqFifoIT() { super(ElasticMqServer::start); } }}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerContract {

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final Supplier<TestServer> starter;
    private TestServer server;

    /** @param starter starts the server, once for the class */
    ServerContract(Supplier<TestServer> starter) {
        this.starter = starter;
    }

    @BeforeAll
    void startServer() {
        server = starter.get();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Whether a receive the client abandoned (a stop cancels open long polls after a short grace) can still take
     * messages on the server, which then stay invisible for one visibility timeout: true of a real server (ElasticMQ
     * does it; see docs/ARCHITECTURE.md), false of {@link io.sluice.transport.memory.InMemorySqs}, whose cancelled
     * receive gives its messages back.
     */
    boolean abandonedReceiveMayTakeMessages() {
        return server.inProcess() == null;
    }

    /** Closes {@code resource} after the current case, in reverse order of registration. */
    void closeAfterEach(AutoCloseable resource) {
        cleanup.add(resource);
    }

    @AfterEach
    void closeResources() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        cleanup.clear();
    }

    /** The transport a worker under test uses (the broker itself when it runs in this JVM). */
    SqsTransport transport() {
        if (server.inProcess() != null) {
            return server.inProcess();
        }
        SqsTransport transport = SqsTransport.create(SqsClientConfig.builder()
                .endpoint(server.endpoint()).region(server.region()).credentials("test", "test").build());
        closeAfterEach(transport::close);
        return transport;
    }

    /** The test's own view of the server (sending, inspecting), through the transport SPI. */
    SqsTransport client() {
        if (server.inProcess() != null) {
            return server.inProcess();
        }
        SqsAsyncClient client = SqsAsyncClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.of(server.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
        closeAfterEach(client::close);
        return SqsTransport.of(client);
    }

    static String createQueue(SqsTransport sqs, String queue, Map<QueueAttributeName, String> attributes) {
        return sqs.createQueue(b -> b.queueName(queue).attributes(attributes)).join().queueUrl();
    }

    static Set<String> sendMessages(SqsTransport sqs, String url, int count,
            java.util.function.IntFunction<String> body) {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        List<java.util.concurrent.CompletableFuture<?>> sends = new ArrayList<>();
        for (int from = 0; from < count; from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + 10); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(body.apply(i)).build());
            }
            sends.add(sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).thenAccept(response -> {
                assertThat(response.failed()).isEmpty();
                response.successful().forEach(ok -> ids.add(ok.messageId()));
            }));
        }
        sends.forEach(java.util.concurrent.CompletableFuture::join);
        assertThat(ids).hasSize(count);
        return ids;
    }

    static Map<String, String> attributes(SqsTransport sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("All")).join()
                .attributesAsStrings();
    }
}
