package io.sluice.testing.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    @Test
    void allActionsSpreadsTheFailureRateOverTheMixWithTheLostResponseShare() {
        FaultPlan plan = FaultPlan.builder().seed(7).allActions(0.05).lostResponseShare(1 / 3.0).build();

        for (SqsAction action : SqsAction.values()) {
            assertThat(plan.failureRate(action)).as(action.actionName()).isCloseTo(0.05, within(1e-12));
            assertThat(plan.rate(action, Fault.LOST_RESPONSE)).isCloseTo(0.05 / 3, within(1e-12));
            for (Fault kind : FaultPlan.DEFAULT_FAILURE_MIX) {
                assertThat(plan.rate(action, kind)).isCloseTo(0.05 * 2 / 3 / 3, within(1e-12));
            }
            assertThat(plan.rate(action, Fault.LATENCY)).isZero();
        }
        assertThat(plan.seed()).isEqualTo(7);
    }

    @Test
    void partialBatchInTheMixCountsOnlyOnBatchActions() {
        FaultPlan plan = FaultPlan.builder().allActions(0.06).failureMix(Fault.SERVER_ERROR, Fault.PARTIAL_BATCH)
                .build();

        assertThat(plan.rate(SqsAction.DELETE_MESSAGE_BATCH, Fault.PARTIAL_BATCH)).isCloseTo(0.03, within(1e-12));
        assertThat(plan.rate(SqsAction.DELETE_MESSAGE_BATCH, Fault.SERVER_ERROR)).isCloseTo(0.03, within(1e-12));
        assertThat(plan.rate(SqsAction.RECEIVE_MESSAGE, Fault.PARTIAL_BATCH)).isZero();
        assertThat(plan.rate(SqsAction.RECEIVE_MESSAGE, Fault.SERVER_ERROR)).isCloseTo(0.06, within(1e-12));
    }

    @Test
    void anActionsRateWinsOverAKindsWhichWinsOverAllActionsInAnyOrder() {
        FaultPlan plan = FaultPlan.builder()
                .rate(SqsAction.RECEIVE_MESSAGE, Fault.THROTTLING, 0.2)
                .rate(Fault.THROTTLING, 0.1)
                .allActions(0.03)
                .rate(Fault.PARTIAL_BATCH, 0.05)
                .build();

        assertThat(plan.rate(SqsAction.RECEIVE_MESSAGE, Fault.THROTTLING)).isEqualTo(0.2);
        assertThat(plan.rate(SqsAction.GET_QUEUE_URL, Fault.THROTTLING)).isEqualTo(0.1);
        assertThat(plan.rate(SqsAction.GET_QUEUE_URL, Fault.SERVER_ERROR)).isCloseTo(0.01, within(1e-12));
        assertThat(plan.rate(SqsAction.SEND_MESSAGE_BATCH, Fault.PARTIAL_BATCH)).isEqualTo(0.05);
        assertThat(plan.rate(SqsAction.GET_QUEUE_URL, Fault.PARTIAL_BATCH)).as("not a batch action").isZero();
    }

    @Test
    void toBuilderKeepsEverySettingAndDerivesAnotherSeed() {
        FaultPlan plan = FaultPlan.builder().seed(1).allActions(0.05).lostResponseShare(0.5)
                .rate(Fault.LATENCY, 0.1).latency(Duration.ofMillis(10), Duration.ofMillis(20))
                .timeoutAfter(Duration.ofSeconds(3)).build();

        FaultPlan other = plan.toBuilder().seed(2).build();

        assertThat(other.seed()).isEqualTo(2);
        for (SqsAction action : SqsAction.values()) {
            for (Fault fault : Fault.values()) {
                assertThat(other.rate(action, fault)).isEqualTo(plan.rate(action, fault));
            }
        }
        assertThat(other.latencyMin()).isEqualTo(Duration.ofMillis(10));
        assertThat(other.latencyMax()).isEqualTo(Duration.ofMillis(20));
        assertThat(other.timeoutAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(plan.toString()).contains("seed 1", "ReceiveMessage: ", "LOST_RESPONSE 2.50 %", "latency PT0.01S");
        assertThat(FaultPlan.none().injectsNothing()).isTrue();
        assertThat(FaultPlan.none()).hasToString("FaultPlan{seed 1; no faults}");
    }

    @Test
    void badValuesAreRejectedNamingThem() {
        assertThatThrownBy(() -> FaultPlan.builder().allActions(1.5))
                .hasMessage("FaultPlan.allActions: failureRate must be between 0 and 1, but was 1.5");
        assertThatThrownBy(() -> FaultPlan.builder().lostResponseShare(-0.1))
                .hasMessage("FaultPlan.lostResponseShare: share must be between 0 and 1, but was -0.1");
        assertThatThrownBy(() -> FaultPlan.builder().rate(SqsAction.RECEIVE_MESSAGE, Fault.THROTTLING, Double.NaN))
                .hasMessage("FaultPlan.rate: rate of THROTTLING for ReceiveMessage must be between 0 and 1, but was"
                        + " NaN");
        assertThatThrownBy(() -> FaultPlan.builder().rate(SqsAction.RECEIVE_MESSAGE, Fault.PARTIAL_BATCH, 0.1))
                .hasMessage("FaultPlan.rate: PARTIAL_BATCH applies to batch actions only (DeleteMessageBatch,"
                        + " ChangeMessageVisibilityBatch, SendMessageBatch), not ReceiveMessage");
        assertThatThrownBy(() -> FaultPlan.builder().rate(Fault.CONNECTION_REFUSED, 0.1))
                .hasMessageStartingWith("FaultPlan.rate cannot take CONNECTION_REFUSED");
        assertThatThrownBy(() -> FaultPlan.builder().failureMix(Fault.LATENCY))
                .hasMessage("FaultPlan.failureMix cannot take LATENCY: it is no failure; set it with"
                        + " rate(Fault.LATENCY, rate)");
        assertThatThrownBy(() -> FaultPlan.builder().failureMix(Fault.TIMEOUT, Fault.TIMEOUT))
                .hasMessage("FaultPlan.failureMix names TIMEOUT twice in [TIMEOUT, TIMEOUT]");
        assertThatThrownBy(() -> FaultPlan.builder().latency(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("FaultPlan.latency needs 0 <= min <= max, but was PT2S..PT1S");
        assertThatThrownBy(() -> FaultPlan.builder().timeoutAfter(Duration.ZERO))
                .hasMessage("FaultPlan.timeoutAfter must be positive, but was PT0S");
    }

    @Test
    void buildListsEveryActionWhoseRatesAddUpToMoreThanOne() {
        assertThatThrownBy(() -> FaultPlan.builder().allActions(0.5)
                .rate(SqsAction.RECEIVE_MESSAGE, Fault.LATENCY, 0.6)
                .rate(SqsAction.SEND_MESSAGE_BATCH, Fault.PARTIAL_BATCH, 0.7).build())
                .hasMessage("FaultPlan: the rates of ReceiveMessage add up to 1.1000, more than 1; the rates of"
                        + " SendMessageBatch add up to 1.2000, more than 1");
        assertThatThrownBy(() -> FaultPlan.builder().allActions(0.1).failureMix(Fault.PARTIAL_BATCH).build())
                .hasMessageStartingWith("FaultPlan: failureMix [PARTIAL_BATCH] has no kind that can fail GetQueueUrl:"
                        + " add one that applies to every action; failureMix [PARTIAL_BATCH] has no kind that can fail"
                        + " CreateQueue");
    }
}
