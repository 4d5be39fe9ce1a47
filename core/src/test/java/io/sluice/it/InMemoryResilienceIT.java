package io.sluice.it;

import io.sluice.transport.SqsTransport;
import io.sluice.transport.memory.InMemorySqs;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The same end-to-end cases as {@link ElasticMqResilienceIT}, on {@link InMemorySqs} running on the system clock: a real
 * local broker without a network. Both transports pass one contract.
 */
class InMemoryResilienceIT extends ResilienceContract {

    private InMemorySqs sqs;

    @BeforeAll
    void startBroker() {
        sqs = InMemorySqs.builder().build();
    }

    @AfterAll
    void stopBroker() {
        sqs.close();
    }

    @Override
    URI endpoint() {
        throw new UnsupportedOperationException("the in-memory broker has no endpoint");
    }

    @Override
    SqsTransport transport() {
        return sqs; // shared by the class, like a server; closed after all cases
    }

    @Override
    boolean abandonedReceiveMayTakeMessages() {
        return false;
    }

    @Override
    SqsTransport client() {
        return sqs;
    }
}
