package io.sluice.it;

/** The producer contract, on {@code InMemorySqs} on the system clock. */
class InMemoryProducerIT extends ProducerContract {

    InMemoryProducerIT() {
        super(TestServer::inMemory);
    }
}
