package io.sluice.it;

/** The resilience contract against an ElasticMQ embedded in the test JVM (a fresh server per class). */
class ElasticMqResilienceIT extends ResilienceContract {

    ElasticMqResilienceIT() {
        super(ElasticMqServer::start);
    }
}
