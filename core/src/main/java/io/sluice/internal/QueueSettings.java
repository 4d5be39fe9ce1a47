package io.sluice.internal;

import io.sluice.QueueConfig;
import io.sluice.WorkerConfig;
import io.sluice.internal.handler.HandlerMethod;
import java.time.Duration;

/**
 * The effective settings of one queue: its {@link QueueConfig} over its handler's annotation over the worker's
 * defaults.
 */
public record QueueSettings(String queue, HandlerMethod handler, int concurrency, int pollers, int maxMessages,
        Duration waitTime, Duration visibilityTimeout, QueueConfig config) {

    public static QueueSettings resolve(HandlerMethod handler, WorkerConfig worker) {
        QueueConfig config = worker.queue(handler.queue());
        int concurrency = config.concurrency().orElse(handler.concurrency() > 0 ? handler.concurrency() : worker.concurrency());
        int maxMessages = Math.min(worker.maxMessagesPerReceive(), concurrency);
        int defaultPollers = worker.pollers() > 0 ? worker.pollers() : Math.max(1, (concurrency + 9) / 10);
        // A poller without a free slot can only wait, so more pollers than slots would never receive.
        int pollers = Math.min(concurrency, config.pollers().orElse(defaultPollers));
        Duration visibility = config.visibilityTimeout().orElse(worker.visibilityTimeout());
        return new QueueSettings(handler.queue(), handler, concurrency, pollers, maxMessages, worker.waitTime(),
                visibility, config);
    }

    @Override
    public String toString() {
        return "queue '" + queue + "' -> " + handler.name() + " (concurrency " + concurrency + ", pollers " + pollers
                + ", up to " + maxMessages + " per receive, wait " + waitTime.getSeconds() + " s, visibility "
                + (visibilityTimeout == null ? "queue default" : visibilityTimeout.getSeconds() + " s") + ")";
    }
}
