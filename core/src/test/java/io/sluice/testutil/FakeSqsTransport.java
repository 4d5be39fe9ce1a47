package io.sluice.testutil;

import io.sluice.transport.SqsTransport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.CreateQueueResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;

/**
 * A hand-written {@link SqsTransport} for unit tests: it records every request, and lets the test decide when and how
 * each call completes.
 *
 * <ul>
 *   <li>Queues: {@link #withQueue} registers one; {@code getQueueUrl} of any other name fails with {@link
 *   QueueDoesNotExistException}; {@code createQueue} registers the queue, and {@code getQueueAttributes} reports its
 *   {@code QueueArn}.</li>
 *   <li>Receives: each call becomes a {@link Receive} that stays open (a long poll) until the test completes it, unless
 *   messages were {@link #addMessages added} and wait in the fake queue, which serves open and new receives at once (up
 *   to each receive's {@code MaxNumberOfMessages}) when {@link #autoServe} is on (the default).</li>
 *   <li>Batch calls: answered by a replaceable responder; by default every entry succeeds at once.</li>
 * </ul>
 *
 * <p>Thread safe; futures are completed outside its lock.
 */
public final class FakeSqsTransport implements SqsTransport {

    public static final String URL_PREFIX = "https://sqs.fake.local/000000000000/";
    public static final String ARN_PREFIX = "arn:aws:sqs:us-east-1:000000000000:";

    private final Map<String, Map<String, String>> queues = new LinkedHashMap<>();
    private final Deque<Message> available = new ArrayDeque<>();
    private final List<Receive> receives = new ArrayList<>();
    private boolean autoServe = true;
    private boolean receivesIgnoreCancel;
    private volatile Consumer<ReceiveMessageRequest> receiveObserver = request -> { };
    private volatile Function<GetQueueUrlRequest, CompletableFuture<GetQueueUrlResponse>> getQueueUrlResponder;

    private final List<GetQueueUrlRequest> getQueueUrlRequests = new CopyOnWriteArrayList<>();
    private final List<CreateQueueRequest> createQueueRequests = new CopyOnWriteArrayList<>();
    private final List<GetQueueAttributesRequest> getQueueAttributesRequests = new CopyOnWriteArrayList<>();
    private final List<DeleteMessageBatchRequest> deleteRequests = new CopyOnWriteArrayList<>();
    private final List<ChangeMessageVisibilityBatchRequest> visibilityRequests = new CopyOnWriteArrayList<>();
    private final List<SendMessageBatchRequest> sendRequests = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile Function<DeleteMessageBatchRequest, CompletableFuture<DeleteMessageBatchResponse>> deleteResponder =
            FakeSqsTransport::allDeleted;
    private volatile Function<ChangeMessageVisibilityBatchRequest, CompletableFuture<ChangeMessageVisibilityBatchResponse>>
            visibilityResponder = FakeSqsTransport::allChanged;
    private volatile Function<SendMessageBatchRequest, CompletableFuture<SendMessageBatchResponse>> sendResponder =
            FakeSqsTransport::allSent;

    /** Registers an existing queue. */
    public synchronized FakeSqsTransport withQueue(String name) {
        queues.putIfAbsent(name, new LinkedHashMap<>());
        return this;
    }

    /**
     * Registers an existing queue with attributes ({@code VisibilityTimeout}, {@code RedrivePolicy}...), which {@code
     * getQueueAttributes} reports.
     */
    public synchronized FakeSqsTransport withQueue(String name, Map<String, String> attributes) {
        queues.put(name, new LinkedHashMap<>(attributes));
        return this;
    }

    /** Registers {@code name} with a RedrivePolicy to {@code dlq} (also registered) after {@code maxReceiveCount}. */
    public synchronized FakeSqsTransport withRedrive(String name, String dlq, int maxReceiveCount,
            int visibilityTimeoutSeconds) {
        withQueue(dlq);
        return withQueue(name, Map.of("VisibilityTimeout", Integer.toString(visibilityTimeoutSeconds),
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arnOf(dlq) + "\",\"maxReceiveCount\":"
                        + maxReceiveCount + "}"));
    }

    /** The URL this fake gives {@code queue}. */
    public static String urlOf(String queue) {
        return URL_PREFIX + queue;
    }

    /** The ARN this fake gives {@code queue}. */
    public static String arnOf(String queue) {
        return ARN_PREFIX + queue;
    }

    /** Whether waiting messages are handed to receives at once; when off, every receive stays open until completed. */
    public FakeSqsTransport autoServe(boolean autoServe) {
        List<Runnable> completions;
        synchronized (this) {
            this.autoServe = autoServe;
            completions = serve();
        }
        completions.forEach(Runnable::run);
        return this;
    }

    /**
     * Makes the futures of later receives ignore {@code cancel}: like a transport whose response is already on its way
     * when the caller gives up. {@link Receive#cancelAttempted()} still says whether cancel was called.
     */
    public synchronized FakeSqsTransport receivesIgnoreCancel(boolean ignore) {
        this.receivesIgnoreCancel = ignore;
        return this;
    }

    /** A cancelled receive of this fake takes nothing, unless receives ignore cancel (the response was on its way). */
    @Override
    public synchronized boolean cancelledReceiveTakesNothing() {
        return !receivesIgnoreCancel;
    }

    /** Called with each receive request as it arrives, before it is answered (for invariants at receive time). */
    public FakeSqsTransport onReceive(Consumer<ReceiveMessageRequest> observer) {
        this.receiveObserver = observer;
        return this;
    }

    public FakeSqsTransport onGetQueueUrl(
            Function<GetQueueUrlRequest, CompletableFuture<GetQueueUrlResponse>> responder) {
        this.getQueueUrlResponder = responder;
        return this;
    }

    public FakeSqsTransport onDelete(
            Function<DeleteMessageBatchRequest, CompletableFuture<DeleteMessageBatchResponse>> responder) {
        this.deleteResponder = responder;
        return this;
    }

    public FakeSqsTransport onChangeVisibility(
            Function<ChangeMessageVisibilityBatchRequest, CompletableFuture<ChangeMessageVisibilityBatchResponse>> responder) {
        this.visibilityResponder = responder;
        return this;
    }

    /** Answers {@code sendMessageBatch}; by default every entry is accepted. */
    public FakeSqsTransport onSend(
            Function<SendMessageBatchRequest, CompletableFuture<SendMessageBatchResponse>> responder) {
        this.sendResponder = responder;
        return this;
    }

    /** Puts messages in the fake queue; open receives are served at once when {@link #autoServe} is on. */
    public void addMessages(Collection<Message> messages) {
        messages.forEach(message -> {
            SensitiveValues.body(message.body());
            SensitiveValues.secret(message.receiptHandle());
        });
        List<Runnable> completions;
        synchronized (this) {
            available.addAll(messages);
            completions = serve();
        }
        completions.forEach(Runnable::run);
    }

    public void addMessages(Message... messages) {
        addMessages(List.of(messages));
    }

    /** Messages added but not yet handed to a receive. */
    public synchronized int waitingMessages() {
        return available.size();
    }

    // ---- SqsTransport ----

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        getQueueUrlRequests.add(request);
        Function<GetQueueUrlRequest, CompletableFuture<GetQueueUrlResponse>> responder = getQueueUrlResponder;
        if (responder != null) {
            return responder.apply(request);
        }
        synchronized (this) {
            if (!queues.containsKey(request.queueName())) {
                return CompletableFuture.failedFuture(QueueDoesNotExistException.builder()
                        .message("The specified queue does not exist.").statusCode(400).build());
            }
        }
        return CompletableFuture.completedFuture(GetQueueUrlResponse.builder().queueUrl(urlOf(request.queueName())).build());
    }

    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        createQueueRequests.add(request);
        synchronized (this) {
            queues.put(request.queueName(), new LinkedHashMap<>(request.attributesAsStrings()));
        }
        return CompletableFuture.completedFuture(CreateQueueResponse.builder().queueUrl(urlOf(request.queueName())).build());
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        getQueueAttributesRequests.add(request);
        String name = request.queueUrl().substring(URL_PREFIX.length());
        synchronized (this) {
            if (!queues.containsKey(name)) {
                return CompletableFuture.failedFuture(QueueDoesNotExistException.builder()
                        .message("The specified queue does not exist.").statusCode(400).build());
            }
        }
        Map<String, String> attributes;
        synchronized (this) {
            attributes = new LinkedHashMap<>(queues.get(name));
        }
        attributes.put(QueueAttributeName.QUEUE_ARN.toString(), arnOf(name));
        return CompletableFuture.completedFuture(GetQueueAttributesResponse.builder()
                .attributesWithStrings(attributes).build());
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        receiveObserver.accept(request);
        Receive receive;
        List<Runnable> completions;
        synchronized (this) {
            receive = new Receive(request, receivesIgnoreCancel ? new StubbornFuture() : new CompletableFuture<>());
            receives.add(receive);
            completions = serve();
        }
        completions.forEach(Runnable::run);
        return receive.future;
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        deleteRequests.add(request);
        return deleteResponder.apply(request);
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        visibilityRequests.add(request);
        return visibilityResponder.apply(request);
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        sendRequests.add(request);
        return sendResponder.apply(request);
    }

    @Override
    public void close() {
        closed.set(true);
    }

    // ---- what happened ----

    public boolean isClosed() {
        return closed.get();
    }

    public List<GetQueueUrlRequest> getQueueUrlRequests() {
        return List.copyOf(getQueueUrlRequests);
    }

    public List<CreateQueueRequest> createQueueRequests() {
        return List.copyOf(createQueueRequests);
    }

    public List<GetQueueAttributesRequest> getQueueAttributesRequests() {
        return List.copyOf(getQueueAttributesRequests);
    }

    public List<DeleteMessageBatchRequest> deleteRequests() {
        return List.copyOf(deleteRequests);
    }

    /** Receipt handles of every delete entry sent, in order. */
    public List<String> deletedReceiptHandles() {
        return deleteRequests.stream().flatMap(request -> request.entries().stream())
                .map(entry -> entry.receiptHandle()).toList();
    }

    public List<ChangeMessageVisibilityBatchRequest> visibilityRequests() {
        return List.copyOf(visibilityRequests);
    }

    public List<SendMessageBatchRequest> sendRequests() {
        return List.copyOf(sendRequests);
    }

    /** Every receive so far, in arrival order. */
    public synchronized List<Receive> receives() {
        return List.copyOf(receives);
    }

    /** Every receive request so far, in arrival order. */
    public synchronized List<ReceiveMessageRequest> receiveRequests() {
        return receives.stream().map(Receive::request).toList();
    }

    /** Receives not yet completed (open long polls). */
    public synchronized List<Receive> openReceives() {
        return receives.stream().filter(receive -> !receive.future.isDone()).toList();
    }

    public synchronized Receive lastReceive() {
        if (receives.isEmpty()) {
            throw new AssertionError("no receive was made");
        }
        return receives.get(receives.size() - 1);
    }

    /** Hands waiting messages to open receives, oldest receive first. Call holding the lock. */
    private List<Runnable> serve() {
        List<Runnable> completions = new ArrayList<>();
        if (!autoServe) {
            return completions;
        }
        for (Receive receive : receives) {
            if (available.isEmpty()) {
                break;
            }
            if (receive.future.isDone() || receive.served) {
                continue;
            }
            int max = receive.request.maxNumberOfMessages() == null ? 1 : receive.request.maxNumberOfMessages();
            List<Message> batch = new ArrayList<>();
            while (batch.size() < max && !available.isEmpty()) {
                batch.add(available.poll());
            }
            receive.served = true;
            completions.add(() -> receive.respond(batch));
        }
        return completions;
    }

    // ---- canned batch responses ----

    /** Every entry of {@code request} accepted, with message id {@code sent-<entry id>}. */
    public static CompletableFuture<SendMessageBatchResponse> allSent(SendMessageBatchRequest request) {
        return CompletableFuture.completedFuture(SendMessageBatchResponse.builder()
                .successful(request.entries().stream()
                        .map(entry -> SendMessageBatchResultEntry.builder().id(entry.id())
                                .messageId("sent-" + entry.id()).build()).toList())
                .failed(List.of())
                .build());
    }

    /** Every entry of {@code request} sent to {@code queue}, in order. */
    public List<SendMessageBatchRequestEntry> sentTo(String queue) {
        return sendRequests.stream().filter(request -> request.queueUrl().equals(urlOf(queue)))
                .flatMap(request -> request.entries().stream()).toList();
    }

    /** Every visibility change entry sent, in order. */
    public List<ChangeMessageVisibilityBatchRequestEntry> visibilityChanges() {
        return visibilityRequests.stream().flatMap(request -> request.entries().stream()).toList();
    }

    /** Every entry of {@code request} deleted. */
    public static CompletableFuture<DeleteMessageBatchResponse> allDeleted(DeleteMessageBatchRequest request) {
        return CompletableFuture.completedFuture(DeleteMessageBatchResponse.builder()
                .successful(request.entries().stream()
                        .map(entry -> DeleteMessageBatchResultEntry.builder().id(entry.id()).build()).toList())
                .failed(List.of())
                .build());
    }

    /** Every entry of {@code request} changed. */
    public static CompletableFuture<ChangeMessageVisibilityBatchResponse> allChanged(
            ChangeMessageVisibilityBatchRequest request) {
        return CompletableFuture.completedFuture(ChangeMessageVisibilityBatchResponse.builder()
                .successful(request.entries().stream()
                        .map(entry -> ChangeMessageVisibilityBatchResultEntry.builder().id(entry.id()).build()).toList())
                .failed(List.of())
                .build());
    }

    /**
     * Deletes every entry except those whose receipt handle {@code failing} maps to an error, which fail with it.
     */
    public static DeleteMessageBatchResponse deletedExcept(DeleteMessageBatchRequest request,
            Function<String, BatchResultErrorEntry.Builder> failing) {
        List<DeleteMessageBatchResultEntry> ok = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        request.entries().forEach(entry -> {
            BatchResultErrorEntry.Builder error = failing.apply(entry.receiptHandle());
            if (error == null) {
                ok.add(DeleteMessageBatchResultEntry.builder().id(entry.id()).build());
            } else {
                failed.add(error.id(entry.id()).build());
            }
        });
        return DeleteMessageBatchResponse.builder().successful(ok).failed(failed).build();
    }

    /** One receive call: its request, and the future the caller waits on. */
    public static final class Receive {
        private final ReceiveMessageRequest request;
        private final CompletableFuture<ReceiveMessageResponse> future;
        private boolean served;

        Receive(ReceiveMessageRequest request, CompletableFuture<ReceiveMessageResponse> future) {
            this.request = request;
            this.future = future;
        }

        public ReceiveMessageRequest request() {
            return request;
        }

        public int maxNumberOfMessages() {
            return request.maxNumberOfMessages();
        }

        public CompletableFuture<ReceiveMessageResponse> future() {
            return future;
        }

        public boolean isOpen() {
            return !future.isDone();
        }

        public boolean isCancelled() {
            return future.isCancelled();
        }

        /** Whether the caller called {@code cancel} on the future (even if it was ignored). */
        public boolean cancelAttempted() {
            return future.isCancelled() || future instanceof StubbornFuture stubborn && stubborn.cancelAttempted;
        }

        /** Completes the receive with {@code messages}; returns whether the future took them. */
        public boolean respond(List<Message> messages) {
            return future.complete(ReceiveMessageResponse.builder().messages(messages).build());
        }

        public boolean respond(Message... messages) {
            return respond(List.of(messages));
        }

        /** Completes the long poll empty, as SQS does when the wait ends. */
        public boolean respondEmpty() {
            return respond(List.of());
        }

        public boolean fail(Throwable error) {
            return future.completeExceptionally(error);
        }
    }

    /** A future whose cancel is recorded but has no effect. */
    private static final class StubbornFuture extends CompletableFuture<ReceiveMessageResponse> {
        volatile boolean cancelAttempted;

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelAttempted = true;
            return false;
        }
    }
}
