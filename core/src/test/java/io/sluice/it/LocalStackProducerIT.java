package io.sluice.it;

import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The producer contract against LocalStack in Docker. Skipped (not failed) where no Docker engine runs, as in CI here.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackProducerIT extends ProducerContract {

    LocalStackProducerIT() {
        super(TestServer::localStack);
    }
}
