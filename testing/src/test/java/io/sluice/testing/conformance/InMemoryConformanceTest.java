package io.sluice.testing.conformance;

import io.sluice.time.VirtualTime;
import io.sluice.transport.SqsTransport;
import io.sluice.transport.memory.InMemorySqs;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The conformance suite against {@link InMemorySqs} on a virtual clock: no deviations, and no real waiting. */
class InMemoryConformanceTest extends TransportConformance {

    private final VirtualTime time = new VirtualTime();
    private final InMemorySqs sqs = InMemorySqs.builder().scheduler(time).build();

    @AfterAll
    void close() {
        sqs.close();
    }

    @Override
    SqsTransport transport() {
        return sqs;
    }

    @Override
    void elapse(Duration duration) {
        time.advance(duration);
    }

    @Override
    boolean virtualTime() {
        return true;
    }

    @Override
    void setQueueAttributes(String url, Map<String, String> attributes) {
        sqs.setQueueAttributes(url, attributes);
    }

    @Override
    long nowMillis() {
        return time.now().toEpochMilli();
    }
}
