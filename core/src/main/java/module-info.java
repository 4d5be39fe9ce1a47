/**
 * Sluice's engine: the worker and its configuration, events, the transport SPI and the in-memory transport, time.
 * Exports only the API packages; everything under {@code io.sluice.internal} stays inside the module. The AWS SDK
 * model types, Jackson's {@code ObjectMapper} and the annotations appear in the API, so those modules are read by
 * whoever reads this one.
 */
module io.sluice.core {
    requires transitive io.sluice.annotations;
    requires transitive software.amazon.awssdk.services.sqs;
    requires transitive software.amazon.awssdk.core;
    requires transitive software.amazon.awssdk.awscore;
    requires transitive software.amazon.awssdk.regions;
    requires transitive software.amazon.awssdk.auth;
    requires transitive com.fasterxml.jackson.databind;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.nio.netty;
    requires static software.amazon.awssdk.http.crt; // only when SqsClientConfig chooses the CRT client
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.retry;
    requires io.github.resilience4j.core;
    requires org.slf4j;

    exports io.sluice;
    exports io.sluice.producer;
    exports io.sluice.time;
    exports io.sluice.transport;
    exports io.sluice.transport.memory;
}
