package io.sluice.internal.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.AdaptiveConcurrencyPolicy;
import io.sluice.AdaptiveConcurrencyPolicy.Algorithm;
import io.sluice.WorkerEvent;
import io.sluice.internal.events.Events;
import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The algorithms against a downstream with a knee: {@code K} calls at once take {@code L0} each; more take longer in
 * proportion (throughput flat at K / L0, latency growing). A saturated queue always runs the limit's worth of calls.
 */
class AdaptiveLimiterTest {

    private static final long L0 = 20_000_000; // 20 ms

    private final List<WorkerEvent> published = new ArrayList<>();
    private final List<Integer> applied = new ArrayList<>();
    private final VirtualTime time = new VirtualTime();

    private AdaptiveLimiter limiter(AdaptiveConcurrencyPolicy policy, int concurrency) {
        Events events = new Events(List.of((io.sluice.WorkerListener) published::add));
        return new AdaptiveLimiter("orders", policy, concurrency, events, time, applied::add);
    }

    /** Feeds {@code samples} calls of a saturated queue against a knee at {@code knee}; returns the limits seen. */
    private static List<Integer> drive(AdaptiveLimiter limiter, int knee, int samples) {
        List<Integer> limits = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            int inFlight = limiter.limit();
            long rtt = L0 * Math.max(knee, inFlight) / knee;
            limiter.onSample(rtt, inFlight, false);
            limits.add(limiter.limit());
        }
        return limits;
    }

    private static double mean(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).average().orElseThrow();
    }

    @Test
    void vegasSettlesJustAboveTheKneeWithoutKnowingIt() {
        for (int knee : new int[] {5, 20, 60}) {
            AdaptiveLimiter limiter = limiter(AdaptiveConcurrencyPolicy.defaults(), 200);
            List<Integer> limits = drive(limiter, knee, 20_000);
            List<Integer> settled = limits.subList(10_000, limits.size());
            assertThat(mean(settled)).as("knee %d: the mean limit once settled", knee)
                    .isBetween((double) knee, knee * 1.25 + 8);
            assertThat(settled.stream().mapToInt(Integer::intValue).max().orElseThrow())
                    .as("knee %d: latency stays within 2x unloaded (limit within 2K)", knee)
                    .isLessThanOrEqualTo(2 * knee + 4);
        }
    }

    @Test
    void gradientSettlesNearTheKneeToo() {
        for (int knee : new int[] {20, 60}) {
            AdaptiveLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().algorithm(Algorithm.GRADIENT)
                    .build(), 200);
            List<Integer> limits = drive(limiter, knee, 20_000);
            List<Integer> settled = limits.subList(10_000, limits.size());
            assertThat(mean(settled)).as("knee %d", knee).isBetween(knee * 0.9, knee * 2.0);
        }
    }

    @Test
    void aFastDownstreamTakesTheLimitToItsCeiling() {
        AdaptiveLimiter limiter = limiter(AdaptiveConcurrencyPolicy.defaults(), 100);
        drive(limiter, 1000, 2_000);
        assertThat(limiter.limit()).isEqualTo(100);
    }

    @Test
    void failuresBringTheLimitDownToItsFloor() {
        AdaptiveLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().min(3).initial(50).build(), 100);
        for (int i = 0; i < 5_000; i++) {
            limiter.onSample(L0, limiter.limit(), true);
        }
        assertThat(limiter.limit()).isEqualTo(3);
    }

    @Test
    void aWindowIsAsManyCallsAsTheLimitAndTheLimitMovesOncePerWindow() {
        AdaptiveLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().initial(40).build(), 100);
        drive(limiter, 1000, 39);
        assertThat(applied).isEmpty();
        drive(limiter, 1000, 1);
        assertThat(applied).containsExactly(46);
    }

    @Test
    void callsThatFailInNoTimeStillCountAndCallsThatSucceedInNoTimeSayNothing() {
        AdaptiveLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().initial(50).build(), 100);
        for (int i = 0; i < 500; i++) {
            limiter.onSample(0, limiter.limit(), false);
        }
        assertThat(limiter.limit()).as("no latency, no failure: nothing to go by").isEqualTo(50);
        for (int i = 0; i < 500; i++) {
            limiter.onSample(0, limiter.limit(), true);
        }
        assertThat(limiter.limit()).as("failures that took no time (a virtual clock) bring it down").isLessThan(40);
    }

    @Test
    void aProbeNeverGoesUnderTheFloorSoItEndsAndTheLimitGrowsBack() {
        AdaptiveLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().min(25).initial(30).build(), 40);
        List<Integer> limits = drive(limiter, 1000, 20_000); // a fast downstream: probes come every 100 windows
        assertThat(limits).as("the probes go down to the floor (half of 40 is under it), never below")
                .allMatch(limit -> limit >= 25).contains(25);
        assertThat(limits.subList(limits.size() - 2_000, limits.size()))
                .as("and each probe ends: back at the ceiling between probes").contains(40);
    }

    @Test
    void anIdleQueueSaysNothingAboutAHigherLimit() {
        AdaptiveLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().initial(40).build(), 100);
        for (int i = 0; i < 500; i++) {
            limiter.onSample(L0, 2, false); // two calls at a time, whatever the limit
        }
        assertThat(limiter.limit()).isEqualTo(40);
    }

    @Test
    void eachChangeIsAppliedAtOnceAndPublishedAtMostOnceASecondFromTheLastValuePublished() {
        AdaptiveLimiter limiter = limiter(AdaptiveConcurrencyPolicy.builder().initial(10).build(), 30);
        drive(limiter, 1000, 9);
        assertThat(applied).as("nothing moves before a window of as many calls as the limit ended").isEmpty();
        drive(limiter, 1000, 1);
        assertThat(applied).as("applied at once").containsExactly(16);
        assertThat(published).as("the first change is published at once")
                .containsExactly(new WorkerEvent.ConcurrencyLimitChanged("orders", 10, 16));

        drive(limiter, 1000, 16 + 22 + 28);
        assertThat(applied).as("every change applied, in order").containsExactly(16, 22, 28, 30);
        assertThat(published).as("the rest waits for the second to pass").hasSize(1);

        time.advance(AdaptiveLimiter.PUBLISH_EVERY);
        assertThat(published).as("then one event from the last published value to the current one")
                .containsExactly(new WorkerEvent.ConcurrencyLimitChanged("orders", 10, 16),
                        new WorkerEvent.ConcurrencyLimitChanged("orders", 16, 30));
        time.advance(Duration.ofMinutes(1));
        assertThat(published).as("no change, no event").hasSize(2);
    }

    @Test
    void theBoundsComeFromThePolicyAndTheConcurrency() {
        assertThat(limiter(AdaptiveConcurrencyPolicy.defaults(), 100).max()).isEqualTo(100);
        assertThat(limiter(AdaptiveConcurrencyPolicy.builder().max(40).build(), 100).max()).isEqualTo(40);
        assertThat(limiter(AdaptiveConcurrencyPolicy.builder().min(20).build(), 100).limit())
                .as("the initial 10 is raised to the floor").isEqualTo(20);
        assertThat(limiter(AdaptiveConcurrencyPolicy.defaults(), 4).limit()).as("and lowered to the ceiling")
                .isEqualTo(4);
    }
}
