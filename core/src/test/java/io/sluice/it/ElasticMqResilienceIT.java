package io.sluice.it;

import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The resilience contract against an ElasticMQ embedded in the test JVM (a fresh server per class). */
class ElasticMqResilienceIT extends ResilienceContract {

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
