package io.sluice.testing.conformance;

import static org.awaitility.Awaitility.await;

import io.sluice.transport.SqsClientConfig;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The conformance suite against LocalStack in Docker; skipped (not failed) where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackConformanceTest extends TransportConformance {

    private LocalStackContainer localStack;
    private SqsTransport transport;
    private SqsAsyncClient admin;

    @BeforeAll
    void start() {
        localStack = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4")).withServices("sqs");
        localStack.start();
        transport = SqsTransport.create(SqsClientConfig.builder().endpoint(localStack.getEndpoint())
                .region(localStack.getRegion()).credentials("test", "test").build());
        admin = adminClient(localStack.getEndpoint(), localStack.getRegion());
    }

    @AfterAll
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (localStack != null) {
            localStack.stop();
        }
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

    /** Not yet observed here (no Docker on the build machine); declare deviations once a run shows them. */
    @Override
    Set<Deviation> deviations() {
        return EnumSet.noneOf(Deviation.class);
    }
}
