package io.sluice.internal;

import io.sluice.HandlerInterceptor;
import io.sluice.WorkerConfig;
import io.sluice.internal.events.Events;
import io.sluice.internal.policy.Breakers;
import io.sluice.time.Scheduler;
import io.sluice.transport.SqsTransport;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * What every queue of a worker shares: the transport, time, the handler executor, the events, the worker-wide
 * configuration, the circuit breakers, the back-off's random source and the interceptors.
 */
public record WorkerServices(SqsTransport transport, Scheduler scheduler, Executor executor, Events events,
        WorkerConfig config, Breakers breakers, RandomGenerator random, List<HandlerInterceptor> interceptors) {

    public WorkerServices {
        interceptors = List.copyOf(interceptors);
    }
}
