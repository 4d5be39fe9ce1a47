package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.annotations.CircuitBreaker;
import io.sluice.annotations.Retry;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link HandlerInterceptor} chain: interceptors wrap every handler call in the order registered, see the
 * invocation (queue, handler, message ids, attributes, receive count), and one that breaks the chain fails the call
 * with an error naming it, which then follows the queue's retry policy.
 */
class WorkerInterceptorTest {

    private final InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 3);
    private final List<String> trace = new CopyOnWriteArrayList<>();
    private String url;

    @AfterEach
    void close() {
        world.close();
    }

    static class Handler {
        final List<String> trace;
        volatile RuntimeException failure;

        Handler(List<String> trace) {
            this.trace = trace;
        }

        @SqsHandler(queue = "orders")
        @Retry(attempts = 2, delayMillis = 10)
        public void handle(String body) {
            trace.add("handler " + body);
            RuntimeException toThrow = failure;
            if (toThrow != null) {
                throw toThrow;
            }
        }
    }

    /** Records before and after the rest of the chain, under its name. */
    private HandlerInterceptor named(String name) {
        return chain -> {
            Invocation invocation = chain.invocation();
            trace.add(name + " before " + invocation.queue() + " " + invocation.handler() + " call "
                    + invocation.call() + " receive " + invocation.messages().get(0).receiveCount() + " attribute "
                    + invocation.messages().get(0).attributes().get("tenant"));
            return chain.proceed().whenComplete((ok, error) -> trace.add(name + " after"
                    + (error == null ? "" : " " + error.getClass().getSimpleName())));
        };
    }

    private Handler start(Worker.Builder builder) {
        url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 5, Map.of());
        Handler handler = new Handler(trace);
        world.start(builder.handlers(handler));
        return handler;
    }

    private void sendOne() {
        world.send(url, "m1", Map.of("tenant", "acme"));
        world.runUntil(() -> !world.events.deleted.isEmpty() || !world.events.deadLettered.isEmpty()
                || world.events.failed.size() >= 2, Duration.ofMillis(10), Duration.ofSeconds(10));
    }

    @Test
    void interceptorsWrapTheCallInTheOrderRegisteredAndSeeTheInvocation() {
        start(Worker.builder().interceptor(named("mdc")).interceptor(named("tracing")));

        sendOne();

        assertThat(trace).containsExactly(
                "mdc before orders Handler.handle call 1 receive 1 attribute acme",
                "tracing before orders Handler.handle call 1 receive 1 attribute acme",
                "handler m1",
                "tracing after",
                "mdc after");
        assertThat(world.events.deleted).hasSize(1);
    }

    @Test
    void theHandlersFailureReachesTheInterceptorsAndThenTheRetryPolicyUnwrapped() {
        Handler handler = start(Worker.builder().interceptor(named("outer")));
        handler.failure = new IllegalStateException("downstream down");

        sendOne();

        assertThat(trace).contains("outer after IllegalStateException",
                "outer before orders Handler.handle call 2 receive 1 attribute null".replace("null", "acme"));
        assertThat(world.events.failures.values()).allSatisfy(cause ->
                assertThat(cause).isInstanceOf(IllegalStateException.class).hasMessage("downstream down"));
    }

    @Test
    void anInterceptorThatThrowsFailsTheCallNamingIt() {
        HandlerInterceptor broken = new HandlerInterceptor() {
            @Override
            public CompletionStage<Void> intercept(Chain chain) {
                throw new IllegalStateException("tracer not configured");
            }
        };
        start(Worker.builder().interceptor(broken));

        sendOne();

        assertThat(trace).as("the handler never ran").isEmpty();
        assertThat(world.events.of(WorkerEvent.Failed.class)).isNotEmpty().allSatisfy(failed -> {
            assertThat(failed.cause()).isInstanceOf(InterceptorException.class)
                    .hasMessageContaining(broken.getClass().getName())
                    .hasMessageContaining("tracer not configured");
        });
        assertThat(world.events.retried).as("retried like any failure").isNotEmpty();
    }

    @Test
    void anInterceptorThatNeverProceedsFailsTheCallNamingIt() {
        HandlerInterceptor swallowing = chain -> CompletableFuture.completedFuture(null);
        start(Worker.builder().interceptor(swallowing));

        sendOne();

        assertThat(trace).as("the handler never ran").isEmpty();
        assertThat(world.events.deleted).as("a message the handler never saw is not deleted").isEmpty();
        assertThat(world.events.of(WorkerEvent.Failed.class)).first().satisfies(failed ->
                assertThat(failed.cause()).isInstanceOf(InterceptorException.class)
                        .hasMessageContaining(swallowing.getClass().getName())
                        .hasMessageContaining("without calling proceed()"));
    }

    @Test
    void anInterceptorThatProceedsTwiceFailsTheCallNamingIt() {
        HandlerInterceptor twice = chain -> {
            chain.proceed();
            return chain.proceed();
        };
        start(Worker.builder().interceptor(twice));

        sendOne();

        assertThat(world.events.of(WorkerEvent.Failed.class)).first().satisfies(failed ->
                assertThat(failed.cause()).isInstanceOf(InterceptorException.class)
                        .hasMessageContaining(twice.getClass().getName())
                        .hasMessageContaining("more than once"));
    }

    static class Guarded {
        final List<String> trace;

        Guarded(List<String> trace) {
            this.trace = trace;
        }

        @SqsHandler(queue = "orders")
        @Retry(attempts = 1)
        @CircuitBreaker(minimumCalls = 1, failureRateThreshold = 50, waitInOpenSeconds = 60)
        public void handle(String body) {
            trace.add("handler " + body);
            throw new IllegalStateException("down");
        }
    }

    @Test
    void interceptorsDoNotRunForACallTheBreakerDidNotAdmit() {
        url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 5, Map.of());
        world.start(Worker.builder().handlers(new Guarded(trace)).interceptor(named("mdc")));
        world.send(url, "m1", Map.of());
        world.runUntil(() -> !world.events.circuitChanges.isEmpty(), Duration.ofMillis(10), Duration.ofSeconds(5));
        trace.clear();

        world.send(url, "m2", Map.of());
        world.runUntil(() -> false, Duration.ofMillis(100), Duration.ofSeconds(2));

        assertThat(trace).as("the breaker is open: no call, so no interceptor").isEmpty();
    }

    static class BatchHandler {
        @SqsHandler(queue = "orders", maxBatchSize = 10, maxBatchWaitMillis = 50)
        public void handle(Batch<String> batch) {
        }
    }

    @Test
    void anInvocationSaysWhetherItIsABatchCallEvenOfOneMessage() {
        List<Invocation> seen = new CopyOnWriteArrayList<>();
        HandlerInterceptor recording = chain -> {
            seen.add(chain.invocation());
            return chain.proceed();
        };
        url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 5, Map.of());
        world.start(Worker.builder().handlers(new BatchHandler()).interceptor(recording));

        sendOne();

        assertThat(seen).singleElement().satisfies(invocation -> {
            assertThat(invocation.batch()).isTrue();
            assertThat(invocation.messages()).hasSize(1);
        });
    }

    @Test
    void aSingleMessageHandlersInvocationIsNotABatch() {
        List<Invocation> seen = new CopyOnWriteArrayList<>();
        start(Worker.builder().interceptor(chain -> {
            seen.add(chain.invocation());
            return chain.proceed();
        }));

        sendOne();

        assertThat(seen).singleElement().satisfies(invocation -> assertThat(invocation.batch()).isFalse());
    }
}
