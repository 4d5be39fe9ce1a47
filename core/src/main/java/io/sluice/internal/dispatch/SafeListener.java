package io.sluice.internal.dispatch;

import io.sluice.Delivery;
import io.sluice.WorkerListener;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shields the pipeline from a listener that throws: the exception is logged and the message goes on. */
public final class SafeListener implements WorkerListener {

    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);
    private final WorkerListener delegate;

    public SafeListener(WorkerListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onHandled(Delivery delivery, Duration elapsed) {
        try {
            delegate.onHandled(delivery, elapsed);
        } catch (RuntimeException e) {
            LOG.error("WorkerListener.onHandled threw for {}", delivery, e);
        }
    }

    @Override
    public void onFailed(Delivery delivery, Throwable cause) {
        try {
            delegate.onFailed(delivery, cause);
        } catch (RuntimeException e) {
            LOG.error("WorkerListener.onFailed threw for {}", delivery, e);
        }
    }

    @Override
    public void onDeleted(Delivery delivery) {
        try {
            delegate.onDeleted(delivery);
        } catch (RuntimeException e) {
            LOG.error("WorkerListener.onDeleted threw for {}", delivery, e);
        }
    }

    @Override
    public void onDeleteFailed(Delivery delivery, Throwable cause) {
        try {
            delegate.onDeleteFailed(delivery, cause);
        } catch (RuntimeException e) {
            LOG.error("WorkerListener.onDeleteFailed threw for {}", delivery, e);
        }
    }

    @Override
    public void onRetried(Delivery delivery, int attempt, Throwable cause) {
        try {
            delegate.onRetried(delivery, attempt, cause);
        } catch (RuntimeException e) {
            LOG.error("WorkerListener.onRetried threw for {}", delivery, e);
        }
    }

    @Override
    public void onDeadLettered(Delivery delivery, String deadLetterQueue, Throwable cause) {
        try {
            delegate.onDeadLettered(delivery, deadLetterQueue, cause);
        } catch (RuntimeException e) {
            LOG.error("WorkerListener.onDeadLettered threw for {}", delivery, e);
        }
    }

    @Override
    public void onCircuitStateChanged(String breaker, io.sluice.CircuitState from, io.sluice.CircuitState to) {
        try {
            delegate.onCircuitStateChanged(breaker, from, to);
        } catch (RuntimeException e) {
            LOG.error("WorkerListener.onCircuitStateChanged threw for breaker '{}'", breaker, e);
        }
    }
}
