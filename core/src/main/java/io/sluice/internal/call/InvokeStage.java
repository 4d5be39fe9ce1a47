package io.sluice.internal.call;

import io.sluice.WorkerEvent;
import io.sluice.internal.events.Events;
import io.sluice.internal.handler.BatchBinding;
import io.sluice.internal.handler.HandlerMethod;
import io.sluice.internal.support.SystemAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The last stage: binds the message (or each message of a batch) and calls the handler on this thread. A single
 * message that cannot be bound fails the call with a {@code MessageBindingException}; batch items that cannot be bound
 * are left out of the batch (they are dead-lettered alone) and, when none is left, the handler is not called.
 */
final class InvokeStage implements CallStage {

    private final HandlerMethod handler;
    private final Events events;
    private final Clock clock;

    InvokeStage(HandlerMethod handler, Events events, Clock clock) {
        this.handler = handler;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> apply(CallContext call, Next next) {
        Instant now = clock.instant();
        for (DeliveryState delivery : call.deliveries()) {
            events.publish(new WorkerEvent.HandlerStarted(delivery.delivery(), delivery.calls(),
                    Duration.between(delivery.lease().receivedAt(), now), sinceSent(delivery, now)));
        }
        CompletionStage<?> stage;
        if (handler.isBatch()) {
            BatchBinding binding = handler.bindBatch(call.deliveries().stream()
                    .map(delivery -> delivery.lease().message()).toList());
            call.batch(binding);
            stage = binding.batch().size() == 0 ? CompletableFuture.completedFuture(null)
                    : handler.invokeBatch(binding.batch());
        } else {
            stage = handler.invoke(call.deliveries().get(0).lease().message());
        }
        call.call().invoked(stage);
        return stage.thenApply(result -> null);
    }

    /** The message's age now, from its {@code SentTimestamp}; {@code null} when it has none or an unreadable one. */
    private static Duration sinceSent(DeliveryState delivery, Instant now) {
        String sent = SystemAttributes.get(delivery.lease().message(), MessageSystemAttributeName.SENT_TIMESTAMP);
        if (sent == null) {
            return null;
        }
        try {
            return Duration.between(Instant.ofEpochMilli(Long.parseLong(sent)), now);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "invoke " + handler.name();
    }
}
