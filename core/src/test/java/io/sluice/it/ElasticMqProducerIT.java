package io.sluice.it;

import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The producer contract against an ElasticMQ embedded in the test JVM. */
class ElasticMqProducerIT extends ProducerContract {

    private ElasticMqServer server;

    @BeforeAll
    void startServer() {
        server = ElasticMqServer.start();
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @Override
    URI endpoint() {
        return server.endpoint();
    }

    @Override
    boolean returnsSequenceNumbers() {
        return false; // Deviation.NO_SEQUENCE_NUMBER_ON_SEND of the conformance suite
    }
}
