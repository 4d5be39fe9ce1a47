package io.sluice.it;

import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The producer contract against LocalStack in Docker. Skipped (not failed) where no Docker engine runs, as in CI here.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackProducerIT extends ProducerContract {

    private LocalStackContainer localStack;

    @BeforeAll
    void startLocalStack() {
        localStack = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4")).withServices("sqs");
        localStack.start();
    }

    @AfterAll
    void stopLocalStack() {
        if (localStack != null) {
            localStack.stop();
        }
    }

    @Override
    URI endpoint() {
        return localStack.getEndpoint();
    }

    @Override
    String region() {
        return localStack.getRegion();
    }
}
