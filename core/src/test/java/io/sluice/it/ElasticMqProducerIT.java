package io.sluice.it;

/** The producer contract against an ElasticMQ embedded in the test JVM. */
class ElasticMqProducerIT extends ProducerContract {

    ElasticMqProducerIT() {
        super(ElasticMqServer::start);
    }

    @Override
    boolean returnsSequenceNumbers() {
        return false; // Deviation.NO_SEQUENCE_NUMBER_ON_SEND of the conformance suite
    }
}
