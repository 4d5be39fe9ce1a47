package io.sluice.internal.handler;

import io.sluice.Batch;
import io.sluice.MessageBindingException;
import io.sluice.internal.support.QueueRef;
import io.sluice.internal.support.SystemAttributes;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One validated {@code @SqsHandler} method bound to its instance: the queue it handles and how to call it with a
 * message. Immutable and thread safe; the method is called concurrently when the queue's concurrency is above one.
 */
public final class HandlerMethod {

    private final Object bean;
    private final Method method;
    private final QueueRef queue;
    private final int concurrency;
    private final List<ArgumentBinder> binders;
    private final boolean returnsStage;
    private final String name;
    private final boolean needsAllAttributes;
    /** For a batch handler ({@code Batch<T>} parameter): binds one message to a {@code T}; else {@code null}. */
    private final ArgumentBinder itemBinder;

    /** @param itemBinder a batch handler's binder of each message of a batch; {@code null} for a single-message one */
    HandlerMethod(Object bean, Method method, QueueRef queue, int concurrency, List<ArgumentBinder> binders,
            boolean returnsStage, ArgumentBinder itemBinder) {
        this.bean = bean;
        this.method = method;
        this.queue = queue;
        this.concurrency = concurrency;
        this.binders = List.copyOf(binders);
        this.returnsStage = returnsStage;
        this.itemBinder = itemBinder;
        this.name = nameOf(method);
        this.needsAllAttributes = java.util.Arrays.stream(method.getParameters()).anyMatch(parameter ->
                parameter.getType() == Message.class
                        || parameter.isAnnotationPresent(io.sluice.annotations.MessageAttribute.class)
                        || parameter.isAnnotationPresent(io.sluice.annotations.MessageAttributes.class));
    }

    /**
     * Whether the handler sees message attributes or the whole SDK {@code Message} (whose attributes it may read), so
     * receives must ask for every system and message attribute. Otherwise a receive asks only for {@code
     * ApproximateReceiveCount}, which Sluice itself uses.
     */
    public boolean needsAllAttributes() {
        return needsAllAttributes;
    }

    /** {@code Class.method}, as every log line and error names a handler. */
    static String nameOf(Method method) {
        Class<?> type = method.getDeclaringClass();
        String simple = type.getSimpleName();
        if (simple.isEmpty()) { // anonymous class: keep the enclosing name, e.g. OrderTest$1
            String full = type.getName();
            simple = full.substring(full.lastIndexOf('.') + 1);
        }
        return simple + "." + method.getName();
    }

    /** The message's {@code ApproximateReceiveCount}, or 0 when it does not carry one. */
    public static int receiveCount(Message message) {
        return ArgumentBinders.receiveCountOf(message);
    }

    /** The message attributes of {@code message} as strings (binary values base64). */
    public static Map<String, String> attributesOf(Message message) {
        return ArgumentBinders.attributesAsStrings(message);
    }

    /** Whether this handler takes a {@code Batch<T>}: several messages per call. */
    public boolean isBatch() {
        return itemBinder != null;
    }

    /** The queue's name (the last path segment of a queue given by URL), as logs, events and configuration name it. */
    public String queue() {
        return queue.name();
    }

    /** The queue as given, placeholders resolved: a name, or a URL used as it is. */
    public QueueRef queueRef() {
        return queue;
    }

    /** The annotation's concurrency, or 0 when it leaves it to configuration. */
    public int concurrency() {
        return concurrency;
    }

    /** {@code Class.method}. */
    public String name() {
        return name;
    }

    public Method method() {
        return method;
    }

    public Object bean() {
        return bean;
    }

    /**
     * Calls the handler for {@code message} on the current thread. A synchronous handler's stage is already complete
     * when this returns; an asynchronous handler's completes when the stage it returned does.
     *
     * @return a stage that completes normally when the handler succeeded, or exceptionally with the handler's exception,
     *         or with a {@link MessageBindingException} when the arguments could not be bound
     */
    public CompletionStage<?> invoke(Message message) {
        if (itemBinder != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(name + " takes a Batch; call invokeBatch"));
        }
        Object[] arguments = new Object[binders.size()];
        for (int i = 0; i < arguments.length; i++) {
            try {
                arguments[i] = binders.get(i).bind(message);
            } catch (ArgumentBinder.BindingFailure failure) {
                return CompletableFuture.failedFuture(new MessageBindingException(queue(), message.messageId(), name,
                        failure.getMessage() + " (parameter #" + (i + 1) + ")", failure.getCause()));
            }
        }
        return call(arguments);
    }

    /**
     * Binds each of {@code messages} as an item of a batch (a batch handler only): those that can be bound form the
     * batch, in order; the others are returned as binding failures, each naming the message and this handler.
     */
    public BatchBinding bindBatch(List<Message> messages) {
        List<Batch.Item<Object>> items = new ArrayList<>(messages.size());
        Map<String, MessageBindingException> failures = new LinkedHashMap<>();
        for (Message message : messages) {
            try {
                items.add(new Batch.Item<>(itemBinder.bind(message), message.messageId(), receiveCount(message),
                        SystemAttributes.get(message, MessageSystemAttributeName.MESSAGE_GROUP_ID),
                        ArgumentBinders.attributesAsStrings(message)));
            } catch (ArgumentBinder.BindingFailure failure) {
                failures.put(message.messageId(), new MessageBindingException(queue(), message.messageId(), name,
                        failure.getMessage() + " (batch item)", failure.getCause()));
            }
        }
        return new BatchBinding(new Batch<>(items), failures);
    }

    /** Calls a batch handler with {@code batch} on the current thread; see {@link #invoke} for the stage. */
    public CompletionStage<?> invokeBatch(Batch<?> batch) {
        return call(new Object[] {batch});
    }

    private CompletionStage<?> call(Object[] arguments) {
        Object result;
        try {
            result = method.invoke(bean, arguments);
        } catch (InvocationTargetException e) {
            return CompletableFuture.failedFuture(e.getCause());
        } catch (IllegalAccessException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!returnsStage) {
            return CompletableFuture.completedFuture(null);
        }
        if (result == null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException(name + " returned null instead of a CompletionStage"));
        }
        return (CompletionStage<?>) result;
    }

    @Override
    public String toString() {
        return name + " <- queue '" + queue + "'";
    }
}
