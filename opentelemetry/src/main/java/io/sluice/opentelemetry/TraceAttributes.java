package io.sluice.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;

/** The names Sluice's tracing reads and writes: message attributes, and span attributes of the messaging conventions. */
final class TraceAttributes {

    /** The W3C {@code traceparent}, as a {@code String} message attribute. */
    static final String TRACEPARENT = "traceparent";
    /** The W3C {@code tracestate}, as a {@code String} message attribute. */
    static final String TRACESTATE = "tracestate";
    /** The system attribute AWS services and X-Ray senders set. */
    static final String AWS_TRACE_HEADER = "AWSTraceHeader";
    /** The most message attributes SQS takes. */
    static final int MAX_MESSAGE_ATTRIBUTES = 10;

    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("messaging.batch.message_count");
    static final AttributeKey<String> HANDLER = AttributeKey.stringKey("sluice.handler");
    static final AttributeKey<Long> CALL = AttributeKey.longKey("sluice.call");
    static final AttributeKey<Long> RECEIVE_COUNT = AttributeKey.longKey("sluice.receive_count");
    static final String AWS_SQS = "aws_sqs";

    private TraceAttributes() {
    }

    /** A queue's name from what a producer was given: a name, or the last part of a URL. */
    static String queueName(String queue) {
        int slash = queue.lastIndexOf('/');
        return slash >= 0 && slash < queue.length() - 1 ? queue.substring(slash + 1) : queue;
    }
}
