package io.sluice.internal.polling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A queue's receive budget in messages per second, as tokens that accrue on the injected clock: at most one receive's
 * worth (10, or the rate when it is lower, at least 1) is saved up, so a quiet spell buys no burst beyond one receive.
 * Not thread safe: {@link RateGate} guards it.
 */
final class ReceiveRate {

    private final double perSecond;
    private final double capacity;
    private final Clock clock;
    private double tokens;
    private Instant refilled;

    ReceiveRate(double perSecond, int largestReceive, Clock clock) {
        this.perSecond = perSecond;
        this.capacity = Math.max(1, Math.min(perSecond, largestReceive));
        this.clock = clock;
        this.tokens = capacity;
        this.refilled = clock.instant();
    }

    /**
     * Takes {@code max} tokens, or as many as one receive may save up when that is fewer, once they have accrued;
     * returns how many (0 when they have not). A receive waits for a full batch rather than asking for one message at
     * a time: at the same rate that costs no more latency than one batch's worth, and ten times fewer requests.
     */
    int take(int max) {
        refill();
        int wanted = wanted(max);
        if (tokens < wanted) {
            return 0;
        }
        tokens -= wanted;
        return wanted;
    }

    /** How long until {@link #take}{@code (max)} can succeed. */
    Duration untilAvailable(int max) {
        refill();
        double missing = wanted(max) - tokens;
        return missing <= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(missing / perSecond * 1e9));
    }

    private int wanted(int max) {
        return (int) Math.max(1, Math.min(max, Math.floor(capacity)));
    }

    /** Gives back tokens a receive took and did not use (it returned fewer messages). */
    void giveBack(int unused) {
        refill();
        tokens = Math.min(capacity, tokens + unused);
    }

    private void refill() {
        Instant now = clock.instant();
        long nanos = Duration.between(refilled, now).toNanos();
        if (nanos > 0) {
            tokens = Math.min(capacity, tokens + nanos * perSecond / 1e9);
            refilled = now;
        }
    }
}
