package io.sluice.it;

/** The worker contract against an ElasticMQ embedded in the test JVM (a fresh server per class). */
class ElasticMqWorkerIT extends WorkerContract {

    ElasticMqWorkerIT() {
        super(ElasticMqServer::start);
    }
}
