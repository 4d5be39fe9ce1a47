package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.Multibinder;
import io.sluice.HandlerInterceptor;
import io.sluice.Worker;
import io.sluice.WorkerConfig;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.FakeSqsTransport;
import io.sluice.testutil.VirtualStop;
import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** Interceptors from Guice ({@code Multibinder}) and from the launcher, and the new queue settings, reach the worker. */
class SluiceInterceptorsTest {

    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    public static class OrderHandler {
        @SqsHandler(queue = "orders")
        public void handle(String body) {
            CALLS.add("handler");
        }
    }

    /** Records its name around the call. */
    record Named(String name) implements HandlerInterceptor {
        @Override
        public CompletionStage<Void> intercept(Chain chain) {
            CALLS.add(name + ":" + chain.invocation().queue() + ":" + chain.invocation().messages().get(0).messageId());
            return chain.proceed();
        }
    }

    @Test
    void boundInterceptorsRunInBindingOrderThenTheLaunchersAroundEveryCall() {
        CALLS.clear();
        FakeSqsTransport transport = new FakeSqsTransport().withQueue("orders");
        VirtualTime time = new VirtualTime();
        Injector injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(OrderHandler.class);
                bind(io.sluice.transport.SqsTransport.class).toInstance(transport);
                Multibinder<HandlerInterceptor> interceptors = Multibinder.newSetBinder(binder(),
                        HandlerInterceptor.class);
                interceptors.addBinding().toInstance(new Named("mdc"));
                interceptors.addBinding().toInstance(new Named("tracing"));
            }
        });
        Worker worker = Sluice.worker(injector).settings(SluiceSettings.of(Map.of())).scheduler(time)
                .executor(Runnable::run).interceptor(new Named("audit")).start();
        try {
            transport.addMessages(List.of(Message.builder().messageId("m1").receiptHandle("h1").body("{}").build()));

            assertThat(CALLS).containsExactly("mdc:orders:m1", "tracing:orders:m1", "audit:orders:m1", "handler");
        } finally {
            VirtualStop.stop(worker, time, Duration.ofSeconds(1));
        }
    }

    @Test
    void perGroupCapAndBatchSettingsComeFromSluiceKeys() {
        WorkerConfig config = SluiceSettings.of(Map.of(
                        "sluice.queues.orders.max-concurrency-per-group", "2",
                        "sluice.queues.orders.max-batch-size", "5",
                        "sluice.queues.orders.max-batch-wait", "250ms"))
                .applyTo(WorkerConfig.defaults(), List.of("orders"));

        assertThat(config.queue("orders").maxConcurrencyPerGroup()).hasValue(2);
        assertThat(config.queue("orders").maxBatchSize()).hasValue(5);
        assertThat(config.queue("orders").maxBatchWait()).hasValue(Duration.ofMillis(250));
    }
}
