package io.sluice.internal.policy;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.sluice.Delivery;
import io.sluice.RetryPolicy;
import io.sluice.internal.handler.HandlerMethod;
import io.sluice.internal.support.Backoff;
import java.time.Duration;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The failure policy of one queue, from its {@link RetryPolicy}: classify (poison or retryable), retry in process
 * (a Resilience4j {@link Retry} per delivery decides whether and how long to wait; Sluice's scheduler does the
 * waiting), then back off the redelivery by receive count, then dead-letter on delivery number {@code maxAttempts}.
 *
 * <p>A handler call cancelled for exceeding its maximum processing time ({@link HandlerTimeoutException}) is not
 * retried in process: the delivery goes straight to redelivery (or dead-lettering when it was the last).
 */
public final class QueueFailurePolicy implements FailurePolicy {

    private final RetryPolicy policy;
    private final int maxAttempts;
    private final boolean deadLetterKnown;
    private final RedeliveryBackoff backoff;
    private final Retry retry;

    /**
     * @param maxAttempts     the effective deliveries before dead-lettering (already made coherent with the queue's
     *                        RedrivePolicy)
     * @param deadLetterKnown whether the queue has a dead-letter queue Sluice can send to; when not, an exhausted or
     *                        poison message is left for SQS
     */
    public QueueFailurePolicy(String queue, RetryPolicy policy, int maxAttempts, boolean deadLetterKnown,
            RandomGenerator random) {
        this.policy = policy;
        this.maxAttempts = maxAttempts;
        this.deadLetterKnown = deadLetterKnown;
        this.backoff = new RedeliveryBackoff(policy.backoff(), policy.maxBackoff(), random);
        this.retry = Retry.of("sluice-" + queue, RetryConfig.custom()
                .maxAttempts(policy.attempts())
                .intervalFunction(Backoff.exponential(policy.delay().isZero() ? Duration.ofMillis(1) : policy.delay(),
                        policy.multiplier(), RetryPolicy.MAX_RETRY_DELAY).asIntervalFunction())
                .retryOnException(cause -> !(cause instanceof HandlerTimeoutException) && isRetryable(cause))
                .build());
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public RetryPolicy policy() {
        return policy;
    }

    @Override
    public boolean isRetryable(Throwable cause) {
        return policy.isRetryable(cause);
    }

    @Override
    public Attempts start(Message message, Delivery delivery) {
        Retry.AsyncContext<Object> context = retry.asyncContext();
        int receiveCount = Math.max(1, HandlerMethod.receiveCount(message));
        return (call, cause) -> {
            if (!isRetryable(cause)) {
                return deadLetterOrLeave("poison (" + cause.getClass().getSimpleName() + " is not retryable)");
            }
            long wait = context.onError(cause);
            if (wait >= 0) {
                return new RetryAfter(policy.delay().isZero() ? Duration.ZERO : Duration.ofMillis(wait));
            }
            if (receiveCount >= maxAttempts) {
                return deadLetterOrLeave("attempts exhausted (" + receiveCount + " of " + maxAttempts + " deliveries, "
                        + call + " call(s) on the last)");
            }
            return new Redeliver(backoff.forReceiveCount(receiveCount));
        };
    }

    private Decision deadLetterOrLeave(String reason) {
        return deadLetterKnown ? new DeadLetter(reason) : new Leave(reason + "; no dead-letter queue is known");
    }

    @Override
    public String toString() {
        return policy + " (effective maxAttempts " + maxAttempts + (deadLetterKnown ? "" : ", no DLQ") + ")";
    }
}
