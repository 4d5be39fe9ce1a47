package io.sluice.it;

/**
 * The same end-to-end cases as {@link ElasticMqWorkerIT}, on {@code InMemorySqs} running on the system clock: a real
 * local broker without a network. Both transports pass one contract.
 */
class InMemoryWorkerIT extends WorkerContract {

    InMemoryWorkerIT() {
        super(TestServer::inMemory);
    }
}
