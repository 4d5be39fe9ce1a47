package io.sluice.it;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** An ElasticMQ SQS server embedded in the test JVM, on a free loopback port, speaking real HTTP. */
public final class ElasticMqServer implements TestServer {

    private final SQSRestServer server;
    private final URI endpoint;

    private ElasticMqServer(SQSRestServer server, int port) {
        this.server = server;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    public static ElasticMqServer start() {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(0).start();
        int port = server.waitUntilStarted().localAddress().getPort();
        return new ElasticMqServer(server, port);
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Stops the server. ElasticMQ holds abandoned long polls open until their wait ends (up to 20 s); waiting for that
     * would only slow the build, so the stop is bounded to a few seconds and then left to finish in the background.
     */
    @Override
    public void close() {
        Thread stopper = new Thread(server::stopAndWait, "elasticmq-stop");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
