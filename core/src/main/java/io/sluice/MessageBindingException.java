package io.sluice;

/**
 * A message could not be turned into the handler's arguments: its body is not valid JSON, has the wrong shape for the
 * payload type, or lacks a required attribute. The message names the queue, message id, handler and parameter, never the
 * body. Such a message is poison: handling it again cannot succeed.
 */
public final class MessageBindingException extends SluiceException {

    private final String queue;
    private final String messageId;
    private final String handler;

    public MessageBindingException(String queue, String messageId, String handler, String reason, Throwable cause) {
        super("Cannot bind message " + messageId + " from queue '" + queue + "' for handler " + handler + ": " + reason,
                cause);
        this.queue = queue;
        this.messageId = messageId;
        this.handler = handler;
    }

    public String queue() {
        return queue;
    }

    public String messageId() {
        return messageId;
    }

    /** The handler as {@code Class.method}. */
    public String handler() {
        return handler;
    }
}
