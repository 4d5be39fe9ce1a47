package io.sluice.it;

/** FIFO order and per-group caps against an ElasticMQ embedded in the test JVM. */
class ElasticMqFifoIT extends FifoContract {

    ElasticMqFifoIT() {
        super(ElasticMqServer::start);
    }
}
