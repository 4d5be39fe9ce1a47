package io.sluice.testing.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.annotations.SqsHandler;
import io.sluice.testing.SluiceTestKit;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit with faults between the worker and SQS, used as a user would test a handler under faults. */
class SluiceTestKitFaultsTest {

    /** Records each order it handles. */
    public static final class OrderHandler {
        final Set<Integer> handled = ConcurrentHashMap.newKeySet();

        @SqsHandler(queue = "orders")
        public void handle(Map<String, Integer> order) {
            handled.add(order.get("n"));
        }
    }

    private final OrderHandler handler = new OrderHandler();

    @RegisterExtension
    SluiceTestKit kit = SluiceTestKit.builder().handlers(handler)
            .faults(FaultPlan.builder().seed(7).allActions(0.20).lostResponseShare(1 / 3.0).build())
            .build();

    @Test
    void everyOrderIsHandledAndDeletedDespiteAFifthOfTheWorkersCallsFailing() {
        for (int n = 0; n < 100; n++) {
            kit.send("orders", Map.of("n", n));
        }

        kit.assertQueueEmpty("orders");

        assertThat(handler.handled).hasSize(100);
        assertThat(kit.deadLetters("orders")).isEmpty();
        FaultCounts counts = kit.faults().counts();
        assertThat(counts.failed()).as(counts.report()).isPositive();
        assertThat(counts.calls(SqsAction.SEND_MESSAGE_BATCH)).as("the kit's sends go around the faults").isZero();
    }

    @Test
    void anOutageOfReceivesHoldsOrdersBackUntilItEnds() {
        kit.faults().outage(Fault.SERVER_ERROR, SqsAction.RECEIVE_MESSAGE);
        kit.advance(Duration.ofSeconds(20)); // the long poll open before the outage ends (empty), as it would on SQS
        kit.send("orders", Map.of("n", 1));
        kit.advance(Duration.ofMinutes(1));
        assertThat(handler.handled).isEmpty();

        kit.faults().endOutage();
        kit.assertHandled("orders", Map.class, order -> order.get("n").equals(1));
        assertThat(kit.faults().counts().injected(SqsAction.RECEIVE_MESSAGE, Fault.SERVER_ERROR)).isPositive();
    }

    @Test
    void aKitWithoutFaultsSaysSo() {
        SluiceTestKit plain = SluiceTestKit.forHandlers(new OrderHandler());

        assertThatThrownBy(plain::faults).isInstanceOf(IllegalStateException.class)
                .hasMessage("no faults: build the kit with faults(FaultPlan) to inject them");
    }
}
