package io.sluice.it;

import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The worker contract against LocalStack in Docker. Skipped (not failed) where no Docker engine runs, as in CI here.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackWorkerIT extends WorkerContract {

    LocalStackWorkerIT() {
        super(TestServer::localStack);
    }
}
