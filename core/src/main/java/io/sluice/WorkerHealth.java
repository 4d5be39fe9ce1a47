package io.sluice;

import java.time.Duration;
import java.util.List;

/**
 * What {@link Worker#health()} reports, for a liveness and a readiness probe (the worker jar's HTTP endpoints, Spring
 * Actuator, or your own server).
 *
 * <ul>
 *   <li><b>live</b>: the worker is not stopping or stopped, and no queue's poller is stuck (a receive in flight longer
 *   than the long poll plus {@link #STUCK_AFTER}; waiting for free handler slots or for an open circuit breaker is not
 *   stuck). A failing probe means: restart this process.</li>
 *   <li><b>ready</b>: every queue is resolved and its pollers run (the worker started and is not stopping).</li>
 * </ul>
 *
 * @param state  the worker's lifecycle state: {@code NEW}, {@code STARTING}, {@code RUNNING}, {@code STOPPING} or
 *               {@code STOPPED}
 * @param reason why it is not live or not ready, or {@code null} when it is both
 * @param queues each queue's detail, in handler order (empty before the worker started)
 */
public record WorkerHealth(String state, boolean live, boolean ready, String reason, List<QueueHealth> queues) {

    /** How long past its long-poll wait a receive may stay in flight before its queue counts as stuck. */
    public static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    public WorkerHealth {
        queues = List.copyOf(queues);
    }
}
