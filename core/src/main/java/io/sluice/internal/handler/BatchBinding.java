package io.sluice.internal.handler;

import io.sluice.Batch;
import io.sluice.MessageBindingException;
import java.util.Map;

/**
 * The messages of one batch call, bound: the batch the handler gets (the messages that could be bound, in order) and,
 * by message id, why the others could not (each is poison, dead-lettered alone).
 */
public record BatchBinding(Batch<Object> batch, Map<String, MessageBindingException> failures) {

    public BatchBinding {
        failures = Map.copyOf(failures);
    }
}
