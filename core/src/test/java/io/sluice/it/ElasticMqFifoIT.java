package io.sluice.it;

import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** FIFO order and per-group caps against an ElasticMQ embedded in the test JVM. */
class ElasticMqFifoIT extends FifoContract {

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
}
