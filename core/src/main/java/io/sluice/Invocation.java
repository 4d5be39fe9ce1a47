package io.sluice;

import java.util.List;
import java.util.Map;

/**
 * What one handler call is about, as {@link HandlerInterceptor}s see it: the queue, the handler, the call number on
 * these deliveries, and the messages (one, or several for a batch handler) with their ids, receive counts, groups and
 * attributes. No message body. Immutable.
 *
 * @param queue    the queue's name
 * @param handler  the handler as {@code Class.method}
 * @param call     the call number on these deliveries (1, then 2, 3... for in-process retries)
 * @param batch    whether this is a batch handler's call (which may hold a single message)
 * @param messages the messages of the call, in order
 */
public record Invocation(String queue, String handler, int call, boolean batch, List<MessageInfo> messages) {

    public Invocation {
        messages = List.copyOf(messages);
    }

    /**
     * One message of a call.
     *
     * @param messageId    the SQS message id
     * @param receiveCount its {@code ApproximateReceiveCount}
     * @param groupId      its {@code MessageGroupId}, or {@code null}
     * @param attributes   its message attributes as strings (binary values base64), e.g. {@code traceparent}
     * @param system       its system attributes, e.g. {@code SentTimestamp}, {@code AWSTraceHeader}
     */
    public record MessageInfo(String messageId, int receiveCount, String groupId, Map<String, String> attributes,
            Map<String, String> system) {
        public MessageInfo {
            attributes = Map.copyOf(attributes);
            system = Map.copyOf(system);
        }
    }
}
