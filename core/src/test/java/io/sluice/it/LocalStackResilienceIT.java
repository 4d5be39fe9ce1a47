package io.sluice.it;

import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The resilience contract against LocalStack in Docker. Skipped (not failed) where no Docker engine runs, as in CI here.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackResilienceIT extends ResilienceContract {

    LocalStackResilienceIT() {
        super(TestServer::localStack);
    }
}
