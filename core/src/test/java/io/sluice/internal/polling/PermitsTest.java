package io.sluice.internal.polling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PermitsTest {

    @Test
    void acquireUpToTakesAllFreeSlotsUpToMax() {
        Permits permits = new Permits(15);

        assertThat(permits.acquireUpTo(10)).isCompletedWithValue(10);
        assertThat(permits.acquireUpTo(10)).as("only 5 are left").isCompletedWithValue(5);
        assertThat(permits.inUse()).isEqualTo(15);
    }

    @Test
    void acquireUpToTakesFewerThanMaxWhenFewerAreFree() {
        Permits permits = new Permits(4);
        permits.acquireUpTo(3);

        assertThat(permits.acquireUpTo(10)).isCompletedWithValue(1);
    }

    @Test
    void acquireWaitsWhileNoSlotIsFree() {
        Permits permits = new Permits(2);
        permits.acquireUpTo(2);

        CompletableFuture<Integer> waiting = permits.acquireUpTo(5);

        assertThat(waiting).isNotDone();
        permits.release(1);
        assertThat(waiting).isCompletedWithValue(1);
        assertThat(permits.inUse()).isEqualTo(2);
    }

    @Test
    void releaseServesWaitersInArrivalOrder() {
        Permits permits = new Permits(3);
        permits.acquireUpTo(3);
        CompletableFuture<Integer> first = permits.acquireUpTo(2);
        CompletableFuture<Integer> second = permits.acquireUpTo(1);
        CompletableFuture<Integer> third = permits.acquireUpTo(1);

        permits.release(1);
        assertThat(first).as("the oldest waiter is served first, even though it wants more").isCompletedWithValue(1);
        assertThat(second).isNotDone();
        assertThat(third).isNotDone();

        permits.release(2);
        assertThat(second).isCompletedWithValue(1);
        assertThat(third).isCompletedWithValue(1);
        assertThat(permits.inUse()).isEqualTo(3);
    }

    @Test
    void newAcquireQueuesBehindExistingWaiters() {
        Permits permits = new Permits(1);
        permits.acquireUpTo(1);
        CompletableFuture<Integer> waiter = permits.acquireUpTo(1);
        CompletableFuture<Integer> later = permits.acquireUpTo(1);

        permits.release(1);

        assertThat(waiter).isCompletedWithValue(1);
        assertThat(later).isNotDone();
    }

    @Test
    void cancelledWaiterDoesNotLeakSlots() {
        Permits permits = new Permits(2);
        permits.acquireUpTo(2);
        CompletableFuture<Integer> cancelled = permits.acquireUpTo(2);
        CompletableFuture<Integer> next = permits.acquireUpTo(1);

        cancelled.cancel(false);
        permits.release(2);

        assertThat(next).isCompletedWithValue(1);
        assertThat(permits.inUse()).as("the cancelled waiter took nothing").isEqualTo(1);
        permits.release(1);
        assertThat(permits.inUse()).isZero();
        assertThat(permits.acquireUpTo(5)).isCompletedWithValue(2);
    }

    @Test
    void waiterCancelledWhileBeingServedGivesItsSlotsBack() {
        Permits permits = new Permits(2);
        permits.acquireUpTo(2);
        CompletableFuture<Integer> first = permits.acquireUpTo(1);
        CompletableFuture<Integer> second = permits.acquireUpTo(1);
        // Cancels the second waiter after release() has taken slots for it but before it completes it.
        first.thenRun(() -> second.cancel(false));

        permits.release(2);

        assertThat(first).isCompletedWithValue(1);
        assertThat(second).isCancelled();
        assertThat(permits.inUse()).as("only the first waiter holds a slot").isEqualTo(1);
    }

    @Test
    void releasingMoreThanTakenThrows() {
        Permits permits = new Permits(3);
        permits.acquireUpTo(1);

        assertThatThrownBy(() -> permits.release(2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released 1 more")
                .hasMessageContaining("capacity 3");
        assertThat(permits.inUse()).as("the count is not corrupted").isZero();
    }

    @Test
    void whenIdleCompletesOnceEverySlotIsFree() {
        Permits permits = new Permits(3);
        assertThat(permits.whenIdle()).as("idle from the start").isCompleted();
        permits.acquireUpTo(2);

        CompletableFuture<Void> idle = permits.whenIdle();
        assertThat(idle).isNotDone();
        permits.release(1);
        assertThat(idle).isNotDone();
        permits.release(1);

        assertThat(idle).isCompleted();
    }

    @Test
    void whenIdleWaitsForSlotsHandedToWaiters() {
        Permits permits = new Permits(1);
        permits.acquireUpTo(1);
        CompletableFuture<Integer> waiter = permits.acquireUpTo(1);
        CompletableFuture<Void> idle = permits.whenIdle();

        permits.release(1);

        assertThat(waiter).isCompletedWithValue(1);
        assertThat(idle).as("the released slot went straight to the waiter").isNotDone();
        permits.release(1);
        assertThat(idle).isCompleted();
    }

    @Test
    void rejectsInvalidArguments() {
        assertThatThrownBy(() -> new Permits(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> new Permits(1).acquireUpTo(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }

    @Test
    void aLoweredLimitTakesNoSlotUntilFewerThanItAreInUse() {
        Permits permits = new Permits(10, 6);
        assertThat(permits.acquireUpTo(10)).as("six slots to start with").isCompletedWithValue(6);

        permits.limit(3);
        CompletableFuture<Integer> waiting = permits.acquireUpTo(10);
        permits.release(3);
        assertThat(waiting).as("three still in use: the new limit").isNotDone();
        assertThat(permits.available()).isZero();

        permits.release(1);
        assertThat(waiting).isCompletedWithValue(1);
        assertThat(permits.inUse()).isEqualTo(3);
    }

    @Test
    void aRaisedLimitServesWaitersAtOnceUpToTheCapacity() {
        Permits permits = new Permits(8, 2);
        permits.acquireUpTo(2);
        CompletableFuture<Integer> waiting = permits.acquireUpTo(10);

        permits.limit(8);

        assertThat(waiting).isCompletedWithValue(6);
        assertThat(permits.limit()).isEqualTo(8);
        assertThatThrownBy(() -> permits.limit(9)).hasMessageContaining("1..8").hasMessageContaining("9");
        assertThatThrownBy(() -> permits.limit(0)).hasMessageContaining("0");
    }

    @Test
    void aMinimumAboveALoweredLimitWaitsForTheLimitInstead() {
        Permits permits = new Permits(20, 20);
        permits.limit(4);
        CompletableFuture<Integer> batch = permits.acquire(10, 10);
        assertThat(batch).as("a receive's share of 10 cannot be met under a limit of 4: it takes the 4")
                .isCompletedWithValue(4);
    }
}
