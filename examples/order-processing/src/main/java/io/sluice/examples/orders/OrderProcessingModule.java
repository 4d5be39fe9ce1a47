package io.sluice.examples.orders;

import com.google.inject.AbstractModule;
import io.sluice.QueueConfig;
import io.sluice.WorkerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Binds the order processor, the payment processor and their simulated downstream services. Nothing lists the handlers:
 * {@code Sluice.worker(injector)} finds {@link OrderProcessor} ({@value OrderProcessor#QUEUE}) and {@link
 * PaymentProcessor} ({@value PaymentProcessor#QUEUE}) among the bindings because they have {@code @SqsHandler} methods,
 * and one worker consumes both queues.
 *
 * <p>Also binds the worker's {@link WorkerConfig} ({@link #workerConfig()}): the worker creates {@value
 * OrderProcessor#QUEUE} when it is missing, with its dead-letter queue {@value OrderProcessor#DEAD_LETTER_QUEUE} after
 * {@value OrderProcessor#MAX_RECEIVE_COUNT} receives, as the article configures it, and likewise the FIFO queue {@value
 * PaymentProcessor#QUEUE} with the FIFO dead-letter queue {@value PaymentProcessor#DEAD_LETTER_QUEUE}. {@code sluice.*}
 * settings apply on top. The module has a no-argument constructor, so the generic worker main can load it too:
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
     * The worker configuration of this example: create missing queues, and give {@value OrderProcessor#QUEUE} and
     * {@value PaymentProcessor#QUEUE} the article's dead-letter queues.
     */
    public static WorkerConfig workerConfig() {
        return WorkerConfig.builder()
                .createQueues(true)
                .queue(OrderProcessor.QUEUE, QueueConfig.builder()
                        .deadLetterQueue(OrderProcessor.DEAD_LETTER_QUEUE)
                        .maxReceiveCount(OrderProcessor.MAX_RECEIVE_COUNT)
                        .build())
                .queue(PaymentProcessor.QUEUE, QueueConfig.builder()
                        .deadLetterQueue(PaymentProcessor.DEAD_LETTER_QUEUE)
                        .maxReceiveCount(PaymentProcessor.MAX_RECEIVE_COUNT)
                        .build())
                .build();
    }

    /** The queues this module's handlers consume. */
    public static List<String> queues() {
        return List.of(OrderProcessor.QUEUE, PaymentProcessor.QUEUE);
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
        bind(PaymentLedger.class);
        bind(PaymentProcessor.class);
        bind(WorkerConfig.class).toInstance(workerConfig());
    }
}
