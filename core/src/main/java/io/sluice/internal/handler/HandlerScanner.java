package io.sluice.internal.handler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.Batch;
import io.sluice.HandlerDefinitionException;
import io.sluice.annotations.SqsHandler;
import io.sluice.internal.support.Placeholders;
import io.sluice.internal.support.QueueNames;
import io.sluice.internal.support.QueueRef;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Finds and validates the {@code @SqsHandler} methods of handler objects. Collects every problem before failing, so one
 * startup shows them all, each naming {@code Class.method} and the queue. A handler's queue is its annotation's text
 * with {@code ${key}} placeholders resolved, a queue name or a queue URL.
 */
public final class HandlerScanner {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HandlerScanner.class);


    private final ObjectMapper mapper;
    private final Function<String, Optional<String>> placeholders;

    /** @param placeholders the values of {@code ${key}} placeholders in queues */
    public HandlerScanner(ObjectMapper mapper, Function<String, Optional<String>> placeholders) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.placeholders = Objects.requireNonNull(placeholders, "placeholders");
    }

    /** Whether {@code type} or a supertype declares an {@code @SqsHandler} method. */
    public static boolean hasHandlers(Class<?> type) {
        for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
            for (Method method : current.getDeclaredMethods()) {
                if (method.isAnnotationPresent(SqsHandler.class)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The queue names that the {@code @SqsHandler} methods of {@code beans} declare, placeholders resolved and URLs
     * reduced to their names, otherwise unvalidated.
     *
     * @throws HandlerDefinitionException naming each handler whose queue has a placeholder without a value
     */
    public static List<String> queueNames(List<?> beans, Function<String, Optional<String>> placeholders) {
        List<String> queues = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Object bean : beans) {
            for (Method method : annotatedMethods(bean.getClass())) {
                String queue = resolvedQueue(method, placeholders, problems);
                if (queue == null) {
                    continue;
                }
                try {
                    queue = QueueRef.parse(queue).name();
                } catch (IllegalArgumentException e) {
                    // unvalidated: the scan reports it
                }
                if (!queues.contains(queue)) {
                    queues.add(queue);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new HandlerDefinitionException(problems);
        }
        return queues;
    }

    /** The annotation's queue, placeholders resolved; {@code null} after adding the problem to {@code problems}. */
    private static String resolvedQueue(Method method, Function<String, Optional<String>> placeholders,
            List<String> problems) {
        try {
            return Placeholders.resolve(method.getAnnotation(SqsHandler.class).queue(), placeholders,
                    HandlerMethod.nameOf(method));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** The queue {@code text} names; {@code null} after adding the problem to {@code problems}. */
    private static QueueRef queueRef(String text, String where, List<String> problems) {
        try {
            QueueRef queue = QueueRef.parse(text);
            if (QueueNames.isValid(queue.name())) {
                return queue;
            }
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return null;
        }
        problems.add(where + ": queue must be an SQS queue name (1-80 letters, digits, - and _; FIFO names end in"
                + " .fifo) or a queue URL ending in one");
        return null;
    }

    /**
     * The handler methods of {@code beans}, validated together (one handler per queue).
     *
     * @throws HandlerDefinitionException listing every problem found
     */
    public List<HandlerMethod> scan(List<?> beans) {
        List<String> problems = new ArrayList<>();
        List<HandlerMethod> handlers = new ArrayList<>();
        Map<String, HandlerMethod> byQueue = new LinkedHashMap<>();
        for (Object bean : beans) {
            for (Method method : annotatedMethods(bean.getClass())) {
                HandlerMethod handler = define(bean, method, problems);
                if (handler == null) {
                    continue;
                }
                HandlerMethod existing = byQueue.putIfAbsent(handler.queue(), handler);
                if (existing != null) {
                    problems.add("queue '" + handler.queue() + "' has two handlers, " + existing.name() + " and "
                            + handler.name() + "; a queue has exactly one handler per worker");
                    continue;
                }
                handlers.add(handler);
            }
        }
        if (problems.isEmpty() && handlers.isEmpty()) {
            problems.add("no @SqsHandler methods found on the " + beans.size()
                    + " handler objects given; annotate a method with @SqsHandler(queue = \"...\")");
        }
        if (!problems.isEmpty()) {
            throw new HandlerDefinitionException(problems);
        }
        return handlers;
    }

    private static List<Method> annotatedMethods(Class<?> type) {
        List<Method> methods = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
            for (Method method : current.getDeclaredMethods()) {
                if (method.isBridge() || method.isSynthetic()) {
                    continue;
                }
                String signature = method.getName() + java.util.Arrays.toString(method.getParameterTypes());
                if (!seen.add(signature)) {
                    continue; // overridden in a subclass: the subclass's declaration decides
                }
                if (method.isAnnotationPresent(SqsHandler.class)) {
                    methods.add(method);
                }
            }
        }
        methods.sort(java.util.Comparator.comparing(Method::getName));
        return methods;
    }

    private HandlerMethod define(Object bean, Method method, List<String> problems) {
        SqsHandler annotation = method.getAnnotation(SqsHandler.class);
        int before = problems.size();
        String text = resolvedQueue(method, placeholders, problems);
        String where = HandlerMethod.nameOf(method) + " (queue '" + (text != null ? text : annotation.queue()) + "')";
        QueueRef queue = text == null ? null : queueRef(text, where, problems);
        if (annotation.concurrency() < 0) {
            problems.add(where + ": concurrency must be positive (or 0 for the worker's default), but was "
                    + annotation.concurrency());
        }
        if (Modifier.isStatic(method.getModifiers())) {
            problems.add(where + ": a handler must be an instance method, not static");
        }
        Class<?> returnType = method.getReturnType();
        boolean returnsStage = CompletionStage.class.isAssignableFrom(returnType);
        if (returnType != void.class && !returnsStage) {
            problems.add(where + ": a handler returns void or a CompletionStage, not " + returnType.getSimpleName());
        }
        Parameter[] parameters = method.getParameters();
        if (java.util.Arrays.stream(parameters).anyMatch(parameter -> parameter.getType() == Batch.class)) {
            return defineBatch(bean, method, queue, where, parameters, returnsStage, problems, before);
        }
        List<ArgumentBinder> binders = new ArrayList<>();
        int payloadIndex = -1;
        for (int i = 0; i < parameters.length; i++) {
            Parameter parameter = parameters[i];
            String described = "parameter #" + (i + 1) + " (" + parameter.getType().getSimpleName() + " "
                    + parameter.getName() + ")";
            try {
                ArgumentBinder binder = binderFor(parameter);
                if (binder.bindsPayload()) {
                    if (java.util.Collection.class.isAssignableFrom(parameter.getType()) || parameter.getType().isArray()) {
                        LOG.info("{}: {} binds ONE message whose body is a JSON array; take a Batch<T> parameter to"
                                + " receive several messages per call", where, described);
                    }
                    if (payloadIndex >= 0) {
                        problems.add(where + ": " + described + " is a second payload parameter after parameter #"
                                + (payloadIndex + 1) + "; only one parameter receives the body, annotate the others");
                    }
                    payloadIndex = i;
                }
                binders.add(binder);
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + described + " is not supported: " + e.getMessage());
            } catch (RuntimeException e) {
                problems.add(where + ": " + described + " is not supported: " + e);
            }
        }
        return build(new HandlerMethod(bean, method, queue, annotation.concurrency(), binders, returnsStage, null),
                where, problems, before);
    }

    /** {@code handler} once it is valid and Sluice may call its method; else {@code null} (the problems say why). */
    private static HandlerMethod build(HandlerMethod handler, String where, List<String> problems, int before) {
        if (problems.size() > before) {
            return null;
        }
        try {
            handler.method().setAccessible(true);
        } catch (RuntimeException e) {
            problems.add(where + ": cannot be called by Sluice (" + e.getMessage() + "); make it public");
            return null;
        }
        return handler;
    }

    /** A handler taking {@code Batch<T>}: that is its only parameter (per-message values are on Batch.Item). */
    private HandlerMethod defineBatch(Object bean, Method method, QueueRef queue, String where,
            Parameter[] parameters, boolean returnsStage, List<String> problems, int before) {
        if (parameters.length != 1) {
            problems.add(where + ": a batch handler takes its Batch<T> as its only parameter (message ids, receive"
                    + " counts, groups and attributes are on each Batch.Item)");
            return null;
        }
        ArgumentBinder itemBinder = null;
        try {
            itemBinder = ArgumentBinders.batchItem(parameters[0], mapper);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": parameter #1 (" + parameters[0].getType().getSimpleName() + " "
                    + parameters[0].getName() + ") is not supported: " + e.getMessage());
        }
        return build(new HandlerMethod(bean, method, queue, method.getAnnotation(SqsHandler.class).concurrency(),
                List.of(), returnsStage, itemBinder), where, problems, before);
    }

    private ArgumentBinder binderFor(Parameter parameter) {
        for (ArgumentBinder.Factory factory : ArgumentBinders.FACTORIES) {
            ArgumentBinder binder = factory.create(parameter, mapper);
            if (binder != null) {
                return binder;
            }
        }
        throw new IllegalArgumentException("no binder accepts it");
    }
}
