package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.Worker;
import io.sluice.annotations.SqsHandler;
import io.sluice.micrometer.SluiceMetricNames;
import io.sluice.micrometer.SluiceMetrics;
import io.sluice.testutil.FakeSqsTransport;
import io.sluice.testutil.VirtualStop;
import io.sluice.time.VirtualTime;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** The worker's meters reach a {@code MeterRegistry} bound in Guice, and the {@code sluice.metrics.*} keys shape them. */
class SluiceMetersTest {

    public static class OrderHandler {
        @SqsHandler(queue = "orders")
        public void handle(String body) {
        }
    }

    private final FakeSqsTransport transport = new FakeSqsTransport().withQueue("orders");
    private final VirtualTime time = new VirtualTime();
    private final SimpleMeterRegistry bound = new SimpleMeterRegistry();

    private Injector injector() {
        return Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(OrderHandler.class);
                bind(SqsTransport.class).toInstance(transport);
                bind(MeterRegistry.class).toInstance(bound);
            }
        });
    }

    private static double handled(MeterRegistry registry) {
        return registry.get(SluiceMetricNames.HANDLED).tag(SluiceMetricNames.QUEUE, "orders").counter().count();
    }

    @Test
    void aBoundRegistryAndTheLaunchersBothGetTheWorkersMetersSampledOnce() {
        SimpleMeterRegistry served = new SimpleMeterRegistry();
        Worker worker = Sluice.worker(injector())
                .settings(SluiceSettings.of(Map.of("sluice.metrics.depth-interval", "30s")))
                .meterRegistry(served).meterRegistry(bound) // the bound one given again is not bound twice
                .scheduler(time).executor(Runnable::run).start();
        try {
            transport.addMessages(Message.builder().messageId("m1").receiptHandle("h1").body("{}").build(),
                    Message.builder().messageId("m2").receiptHandle("h2").body("{}").build());

            assertThat(handled(bound)).isEqualTo(2);
            assertThat(handled(served)).isEqualTo(2);

            int before = transport.getQueueAttributesRequests().size();
            time.advance(Duration.ofSeconds(30));
            assertThat(transport.getQueueAttributesRequests()).as("one depth sample per queue per interval")
                    .hasSize(before + 1);
        } finally {
            VirtualStop.stop(worker, time, Duration.ofSeconds(1));
        }
        int afterStop = transport.getQueueAttributesRequests().size();
        time.advance(Duration.ofMinutes(5));
        assertThat(transport.getQueueAttributesRequests()).as("no sampling once the worker stopped")
                .hasSize(afterStop);
    }

    @Test
    void depthSamplingTurnsOffWithAZeroInterval() {
        Worker worker = Sluice.worker(injector())
                .settings(SluiceSettings.of(Map.of("sluice.metrics.depth-interval", "0")))
                .scheduler(time).executor(Runnable::run).start();
        try {
            int before = transport.getQueueAttributesRequests().size();
            time.advance(Duration.ofMinutes(10));

            assertThat(transport.getQueueAttributesRequests()).hasSize(before);
            assertThat(bound.find(SluiceMetricNames.QUEUE_MESSAGES).gauges()).isNotEmpty();
        } finally {
            VirtualStop.stop(worker, time, Duration.ofSeconds(1));
        }
    }

    @Test
    void percentilesAndHistogramsComeFromSettingsAndBadValuesNameTheKey() {
        SluiceSettings settings = SluiceSettings.of(Map.of("sluice.metrics.percentiles", "0.5, 0.99",
                "sluice.metrics.histograms", "true"));
        assertThat(settings.applyTo(SluiceMetrics.builder(Worker.builder().transport(transport)
                .handlers(new OrderHandler()).build())).build()).isNotNull();

        assertThatThrownBy(() -> SluiceSettings.of(Map.of("sluice.metrics.percentiles", "0.5,99"))
                .applyTo(SluiceMetrics.builder(Worker.builder().transport(transport).handlers(new OrderHandler())
                        .build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sluice.metrics.percentiles must be between 0 and 1 (0.5,0.99), but was '0.5,99'");
        assertThatThrownBy(() -> SluiceSettings.of(Map.of("sluice.metrics.depth-interval", "soon"))
                .applyTo(SluiceMetrics.builder(Worker.builder().transport(transport).handlers(new OrderHandler())
                        .build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sluice.metrics.depth-interval");
    }
}
