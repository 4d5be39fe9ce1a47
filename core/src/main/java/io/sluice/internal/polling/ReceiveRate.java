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

    /** Takes up to {@code max} whole tokens now; returns how many (0 when not even one has accrued). */
    int take(int max) {
        refill();
        int taken = (int) Math.min(max, Math.floor(tokens));
        tokens -= taken;
        return taken;
    }

    /** How long until one whole token has accrued. */
    Duration untilNext() {
        refill();
        double missing = 1 - tokens;
        return missing <= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(missing / perSecond * 1e9));
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
