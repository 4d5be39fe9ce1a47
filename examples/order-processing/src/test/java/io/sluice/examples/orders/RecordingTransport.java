package io.sluice.examples.orders;

import io.sluice.transport.SqsTransport;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.model.SqsRequest;

/**
 * A transport that records each SQS request passed through it, as the SPI method called and the queue it named, and
 * passes it on. Every request method of {@link SqsTransport} is recorded, including any added after this class was
 * written: a test comparing the record with an IAM policy then fails instead of missing the new action.
 */
final class RecordingTransport {

    /** One kind of request: the {@link SqsTransport} method and the name of the queue it was for. */
    record Call(String method, String queue) {
    }

    private RecordingTransport() {
    }

    /** {@code delegate}, recording into {@code calls} (a concurrent set: completions may run on other threads). */
    static SqsTransport of(SqsTransport delegate, Set<Call> calls) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.isDefault() && isConsumerForm(method)) {
                return InvocationHandler.invokeDefault(proxy, method, args); // built, then through the proxy again
            }
            if (isRequestMethod(method)) {
                calls.add(new Call(method.getName(), queueOf((SqsRequest) args[0])));
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (SqsTransport) Proxy.newProxyInstance(SqsTransport.class.getClassLoader(),
                new Class<?>[] {SqsTransport.class}, handler);
    }

    /** The SPI's request methods: abstract, taking one SDK request. */
    static List<Method> requestMethods() {
        return Arrays.stream(SqsTransport.class.getMethods()).filter(RecordingTransport::isRequestMethod).toList();
    }

    private static boolean isRequestMethod(Method method) {
        return Modifier.isAbstract(method.getModifiers()) && method.getParameterCount() == 1
                && SqsRequest.class.isAssignableFrom(method.getParameterTypes()[0]);
    }

    private static boolean isConsumerForm(Method method) {
        return method.getParameterCount() == 1 && Consumer.class.isAssignableFrom(method.getParameterTypes()[0]);
    }

    /** The queue's name: the last path segment of its URL, or the name a request resolves or creates. */
    private static String queueOf(SqsRequest request) {
        return request.getValueForField("QueueUrl", String.class)
                .map(url -> url.substring(url.lastIndexOf('/') + 1))
                .or(() -> request.getValueForField("QueueName", String.class))
                .orElseThrow(() -> new AssertionError("no queue in " + request));
    }
}
