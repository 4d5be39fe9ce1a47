package io.sluice.it;

import io.sluice.transport.SqsTransport;
import io.sluice.transport.memory.InMemorySqs;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The producer contract, on {@link InMemorySqs} on the system clock. */
class InMemoryProducerIT extends ProducerContract {

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
        return sqs;
    }

    @Override
    SqsTransport client() {
        return sqs;
    }

    @Override
    boolean abandonedReceiveMayTakeMessages() {
        return false;
    }
}
