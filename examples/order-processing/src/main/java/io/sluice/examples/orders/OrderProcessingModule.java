package io.sluice.examples.orders;

import com.google.inject.AbstractModule;
import io.sluice.QueueConfig;
import io.sluice.WorkerConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Binds the order processor and its simulated downstream services. Nothing lists the handler: {@code
 * Sluice.worker(injector)} finds {@link OrderProcessor} among the bindings because it has an {@code @SqsHandler} method.
 *
 * <p>Also binds the worker's {@link WorkerConfig} ({@link #workerConfig()}): the worker creates {@value
 * OrderProcessor#QUEUE} when it is missing, with its dead-letter queue {@value OrderProcessor#DEAD_LETTER_QUEUE} after
 * {@value OrderProcessor#MAX_RECEIVE_COUNT} receives, as the article configures it. {@code sluice.*} settings apply on
 * top. The module has a no-argument constructor, so the generic worker main can load it too:
 * {@code java -cp order-processing.jar io.sluice.runtime.SluiceMain io.sluice.examples.orders.OrderProcessingModule}.
 */
public final class OrderProcessingModule extends AbstractModule {

    private final SimulatedLatency latency;
    private final SimulatedTrouble trouble;

    /** Downstream services without simulated latency or trouble. */
    public OrderProcessingModule() {
        this(Duration.ZERO);
    }

    /** Downstream services that each take {@code simulatedLatency} per call. */
    public OrderProcessingModule(Duration simulatedLatency) {
        this(simulatedLatency, SimulatedTrouble.none());
    }

    /** Downstream services that each take {@code simulatedLatency} per call, with payments in {@code trouble}. */
    public OrderProcessingModule(Duration simulatedLatency, SimulatedTrouble trouble) {
        this.latency = new SimulatedLatency(Objects.requireNonNull(simulatedLatency, "simulatedLatency"));
        this.trouble = Objects.requireNonNull(trouble, "trouble");
    }

    /**
     * The worker configuration of this example: create missing queues, and give {@value OrderProcessor#QUEUE} the
     * article's dead-letter queue.
     */
    public static WorkerConfig workerConfig() {
        return WorkerConfig.builder()
                .createQueues(true)
                .queue(OrderProcessor.QUEUE, QueueConfig.builder()
                        .deadLetterQueue(OrderProcessor.DEAD_LETTER_QUEUE)
                        .maxReceiveCount(OrderProcessor.MAX_RECEIVE_COUNT)
                        .build())
                .build();
    }

    @Override
    protected void configure() {
        bind(SimulatedLatency.class).toInstance(latency);
        bind(SimulatedTrouble.class).toInstance(trouble);
        bind(InventoryService.class);
        bind(PaymentService.class);
        bind(ShippingService.class);
        bind(EmailService.class);
        bind(OrderLedger.class);
        bind(OrderProcessor.class);
        bind(WorkerConfig.class).toInstance(workerConfig());
    }
}
