package io.sluice.internal.call;

import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.slf4j.MDC;

/**
 * Puts the call in the logging context of the handler's thread, for what the interceptors and the handler log: {@value
 * #QUEUE}, {@value #MESSAGE_ID} (the ids of a batch, comma-separated) and {@value #HANDLER}. Set for the call's run on
 * this thread and put back as they were after it, whether the handler blocks or returns a {@code CompletionStage}
 * (whose later stages run elsewhere, outside this context).
 */
final class MdcStage implements CallStage {

    static final String QUEUE = "sluice.queue";
    static final String MESSAGE_ID = "sluice.messageId";
    static final String HANDLER = "sluice.handler";

    private final String queue;
    private final String handler;

    MdcStage(String queue, String handler) {
        this.queue = queue;
        this.handler = handler;
    }

    @Override
    public CompletionStage<Void> apply(CallContext call, Next next) {
        String messageIds = call.deliveries().size() == 1 ? call.deliveries().get(0).delivery().messageId()
                : call.deliveries().stream().map(delivery -> delivery.delivery().messageId())
                        .collect(Collectors.joining(","));
        String queueBefore = MDC.get(QUEUE);
        String messageIdBefore = MDC.get(MESSAGE_ID);
        String handlerBefore = MDC.get(HANDLER);
        MDC.put(QUEUE, queue);
        MDC.put(MESSAGE_ID, messageIds);
        MDC.put(HANDLER, handler);
        try {
            return next.proceed();
        } finally {
            restore(QUEUE, queueBefore);
            restore(MESSAGE_ID, messageIdBefore);
            restore(HANDLER, handlerBefore);
        }
    }

    private static void restore(String key, String before) {
        if (before == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, before);
        }
    }

    @Override
    public String toString() {
        return "logging context";
    }
}
