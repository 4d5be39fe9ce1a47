package io.sluice.testing.faults;

import io.sluice.testing.faults.FaultDecisions.Decision;
import io.sluice.time.Scheduler;
import io.sluice.transport.ForwardingSqsTransport;
import io.sluice.transport.SqsTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.CreateQueueResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * A transport that injects the faults of a {@link FaultPlan} into the calls it passes to another: to test how your
 * handlers and configuration ride out throttling, server errors, timeouts, resets, latency, partial batch failures and
 * lost responses, on {@link io.sluice.transport.memory.InMemorySqs} and virtual time or on any other transport.
 *
 * <pre>{@code
 * VirtualTime time = new VirtualTime();
 * InMemorySqs sqs = InMemorySqs.builder().scheduler(time).build();
 * FaultInjectingTransport faulty = FaultInjectingTransport.wrap(sqs,
 *         FaultPlan.builder().seed(7).allActions(0.10).lostResponseShare(1 / 3.0).build(), time);
 * Worker worker = Worker.builder().transport(faulty).scheduler(time).handlers(new OrderHandler()).build();
 * // ... later: System.out.println(faulty.counts().report());
 * }</pre>
 *
 * <p>Per call it decides (seeded, per action; see {@link FaultPlan}) and then: fails the call at once with the
 * exception the AWS SDK raises ({@link Fault#THROTTLING}, {@link Fault#SERVER_ERROR}, {@link Fault#CONNECTION_RESET},
 * an outage's {@link Fault#CONNECTION_REFUSED}) without passing it on; fails it after {@link FaultPlan#timeoutAfter()}
 * on the scheduler ({@link Fault#TIMEOUT}), not passed on either; passes it on after a delay on the scheduler ({@link
 * Fault#LATENCY}); passes on only some of a batch's entries and reports the others failed ({@link
 * Fault#PARTIAL_BATCH}); or passes it on and fails it once the transport answered ({@link Fault#LOST_RESPONSE}).
 * Cancelling a returned future cancels the delayed call, or the call passed on. Failures complete the future on the
 * calling thread or the scheduler's, as the SDK completes on its own threads.
 *
 * <p>Thread safe. {@link #close()} leaves the wrapped transport open, as every {@link ForwardingSqsTransport} does.
 */
public final class FaultInjectingTransport extends ForwardingSqsTransport implements FaultControl {

    private final FaultDecisions decisions;
    private final Scheduler scheduler;

    private FaultInjectingTransport(SqsTransport delegate, FaultPlan plan, Scheduler scheduler) {
        super(delegate);
        this.decisions = new FaultDecisions(plan);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Wraps {@code delegate}, injecting {@code plan}'s faults into its calls.
     *
     * @param scheduler times {@link Fault#LATENCY} and {@link Fault#TIMEOUT}: the worker's, so that virtual time
     *                  moves them too
     */
    public static FaultInjectingTransport wrap(SqsTransport delegate, FaultPlan plan, Scheduler scheduler) {
        return new FaultInjectingTransport(delegate, plan, scheduler);
    }

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        return inject(SqsAction.GET_QUEUE_URL, () -> super.getQueueUrl(request));
    }

    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        return inject(SqsAction.CREATE_QUEUE, () -> super.createQueue(request));
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        return inject(SqsAction.GET_QUEUE_ATTRIBUTES, () -> super.getQueueAttributes(request));
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        return inject(SqsAction.RECEIVE_MESSAGE, () -> super.receiveMessage(request));
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        return inject(SqsAction.DELETE_MESSAGE_BATCH, () -> super.deleteMessageBatch(request),
                new Batch<>(request.entries(), DeleteMessageBatchRequestEntry::id,
                        kept -> super.deleteMessageBatch(request.toBuilder().entries(kept).build()),
                        (response, failed) -> response.toBuilder().failed(concat(response.failed(), failed)).build(),
                        () -> DeleteMessageBatchResponse.builder().successful(List.of()).failed(List.of()).build()));
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        return inject(SqsAction.CHANGE_MESSAGE_VISIBILITY_BATCH, () -> super.changeMessageVisibilityBatch(request),
                new Batch<>(request.entries(), ChangeMessageVisibilityBatchRequestEntry::id,
                        kept -> super.changeMessageVisibilityBatch(request.toBuilder().entries(kept).build()),
                        (response, failed) -> response.toBuilder().failed(concat(response.failed(), failed)).build(),
                        () -> ChangeMessageVisibilityBatchResponse.builder().successful(List.of()).failed(List.of())
                                .build()));
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        return inject(SqsAction.SEND_MESSAGE_BATCH, () -> super.sendMessageBatch(request),
                new Batch<>(request.entries(), SendMessageBatchRequestEntry::id,
                        kept -> super.sendMessageBatch(request.toBuilder().entries(kept).build()),
                        (response, failed) -> response.toBuilder().failed(concat(response.failed(), failed)).build(),
                        () -> SendMessageBatchResponse.builder().successful(List.of()).failed(List.of()).build()));
    }

    // ---- FaultControl ----

    @Override
    public FaultPlan plan() {
        return decisions.plan();
    }

    @Override
    public FaultCounts counts() {
        return decisions.counts();
    }

    @Override
    public void enabled(boolean enabled) {
        decisions.enabled(enabled);
    }

    @Override
    public boolean isEnabled() {
        return decisions.isEnabled();
    }

    @Override
    public void outage(Fault kind, SqsAction... actions) {
        decisions.outage(kind, actions);
    }

    @Override
    public void endOutage() {
        decisions.endOutage();
    }

    @Override
    public String toString() {
        return "faults (" + plan() + ") on " + delegate();
    }

    // ---- injection ----

    /** A batch call as {@link Fault#PARTIAL_BATCH} needs it: its entries, how to send some, how to report the rest. */
    private record Batch<E, R>(List<E> entries, Function<E, String> id, Function<List<E>, CompletableFuture<R>> send,
            BiFunction<R, List<BatchResultErrorEntry>, R> withFailed, Supplier<R> nothingSent) {
    }

    private <R> CompletableFuture<R> inject(SqsAction action, Supplier<CompletableFuture<R>> call) {
        return inject(action, call, null);
    }

    private <E, R> CompletableFuture<R> inject(SqsAction action, Supplier<CompletableFuture<R>> call,
            Batch<E, R> batch) {
        Decision decision = decisions.decide(action, batch == null ? -1 : batch.entries().size());
        if (decision.passes()) {
            return call.get();
        }
        Fault fault = decision.fault();
        return switch (fault) {
            case THROTTLING, SERVER_ERROR, CONNECTION_RESET, CONNECTION_REFUSED ->
                    CompletableFuture.failedFuture(InjectedErrors.of(fault, action, plan()));
            case TIMEOUT -> later(() -> CompletableFuture.failedFuture(InjectedErrors.of(fault, action, plan())),
                    decision);
            case LATENCY -> later(call, decision);
            case PARTIAL_BATCH -> partially(action, batch);
            case LOST_RESPONSE -> lost(action, call);
        };
    }

    /** {@code call} after the decision's delay (or the plan's timeout) on the scheduler; cancelling cancels it. */
    private <R> CompletableFuture<R> later(Supplier<CompletableFuture<R>> call, Decision decision) {
        CompletableFuture<R> outer = new CompletableFuture<>();
        AtomicReference<CompletableFuture<R>> started = new AtomicReference<>();
        Scheduler.Cancellable task = scheduler.schedule(
                decision.fault() == Fault.TIMEOUT ? plan().timeoutAfter() : decision.delay(), () -> {
                    if (outer.isDone()) {
                        return;
                    }
                    CompletableFuture<R> inner = start(call);
                    started.set(inner);
                    relay(inner, outer);
                    if (outer.isCancelled()) {
                        inner.cancel(false);
                    }
                });
        outer.whenComplete((response, error) -> {
            if (outer.isCancelled()) {
                task.cancel();
                CompletableFuture<R> inner = started.get();
                if (inner != null) {
                    inner.cancel(false);
                }
            }
        });
        return outer;
    }

    /** {@code call} passed on; whatever it answers, the caller gets a reset connection. */
    private <R> CompletableFuture<R> lost(SqsAction action, Supplier<CompletableFuture<R>> call) {
        CompletableFuture<R> inner = start(call);
        CompletableFuture<R> outer = new CompletableFuture<>();
        inner.whenComplete((response, error) -> outer.completeExceptionally(
                InjectedErrors.of(Fault.LOST_RESPONSE, action, plan())));
        cancelWith(outer, inner);
        return outer;
    }

    /** Some of the batch's entries passed on; the others added to the response's failed entries. */
    private <E, R> CompletableFuture<R> partially(SqsAction action, Batch<E, R> batch) {
        boolean[] failing = decisions.failingEntries(action, batch.entries().size());
        List<E> kept = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (int i = 0; i < failing.length; i++) {
            E entry = batch.entries().get(i);
            if (failing[i]) {
                failed.add(BatchResultErrorEntry.builder().id(batch.id().apply(entry)).senderFault(false)
                        .code(InjectedErrors.INTERNAL_ERROR_CODE)
                        .message("The entry could not be processed (" + action + ", injected partial failure)")
                        .build());
            } else {
                kept.add(entry);
            }
        }
        CompletableFuture<R> inner = kept.isEmpty() ? CompletableFuture.completedFuture(batch.nothingSent().get())
                : start(() -> batch.send().apply(kept));
        CompletableFuture<R> outer = inner.thenApply(response -> batch.withFailed().apply(response, failed));
        cancelWith(outer, inner);
        return outer;
    }

    private static <R> CompletableFuture<R> start(Supplier<CompletableFuture<R>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static <R> void relay(CompletableFuture<R> from, CompletableFuture<R> to) {
        from.whenComplete((response, error) -> {
            if (error != null) {
                to.completeExceptionally(error);
            } else {
                to.complete(response);
            }
        });
    }

    /** Cancelling {@code outer} (an abandoned long poll, say) cancels {@code inner}, so the transport abandons it too. */
    private static void cancelWith(CompletableFuture<?> outer, CompletableFuture<?> inner) {
        outer.whenComplete((response, error) -> {
            if (outer.isCancelled()) {
                inner.cancel(false);
            }
        });
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
