package io.sluice.it;

import io.sluice.transport.SqsTransport;
import io.sluice.transport.memory.InMemorySqs;
import java.net.URI;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A server an end-to-end contract runs against, started once per test class ({@link ServerContract}): ElasticMQ in
 * this JVM over real HTTP, LocalStack in Docker, or {@link InMemorySqs} on the system clock.
 */
interface TestServer extends AutoCloseable {

    /** The server's endpoint. */
    URI endpoint();

    /** The server's region. */
    default String region() {
        return "us-east-1";
    }

    /**
     * The broker itself when it runs in this JVM without a network (a worker's transport and the test's client are
     * then that broker, shared by the class), else {@code null}.
     */
    default SqsTransport inProcess() {
        return null;
    }

    @Override
    void close();

    /** {@link InMemorySqs} on the system clock: a real local broker without a network. */
    static TestServer inMemory() {
        InMemorySqs sqs = InMemorySqs.builder().build();
        return new TestServer() {
            @Override
            public URI endpoint() {
                throw new UnsupportedOperationException("the in-memory broker has no endpoint");
            }

            @Override
            public SqsTransport inProcess() {
                return sqs;
            }

            @Override
            public void close() {
                sqs.close();
            }
        };
    }

    /** LocalStack in Docker (a class using it is annotated {@code @Testcontainers(disabledWithoutDocker = true)}). */
    static TestServer localStack() {
        LocalStackContainer localStack = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
                .withServices("sqs");
        localStack.start();
        return new TestServer() {
            @Override
            public URI endpoint() {
                return localStack.getEndpoint();
            }

            @Override
            public String region() {
                return localStack.getRegion();
            }

            @Override
            public void close() {
                localStack.stop();
            }
        };
    }
}
