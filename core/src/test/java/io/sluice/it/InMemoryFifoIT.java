package io.sluice.it;

/** The same FIFO cases as {@link ElasticMqFifoIT}, on {@code InMemorySqs} on the system clock. */
class InMemoryFifoIT extends FifoContract {

    InMemoryFifoIT() {
        super(TestServer::inMemory);
    }
}
