package io.sluice.transport.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.internal.support.MessageRules;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The settable attributes of one in-memory queue, validated as SQS validates them. Immutable.
 *
 * @param redrive the queue's {@code RedrivePolicy}, {@link Redrive#NONE} without one
 */
record QueueSettings(boolean fifo, int visibilityTimeout, int delaySeconds, int retentionSeconds, int maximumMessageSize,
        int receiveWaitTimeSeconds, boolean contentBasedDeduplication, Redrive redrive) {

    /**
     * A {@code RedrivePolicy} as set.
     *
     * @param policy          the attribute's JSON as given, or {@code null} for none
     * @param targetArn       the DLQ's ARN, or {@code null}
     * @param maxReceiveCount receives before SQS moves a message; 0 without a policy
     */
    record Redrive(String policy, String targetArn, int maxReceiveCount) {
        static final Redrive NONE = new Redrive(null, null, 0);

        /** Whether a message received {@code receiveCount} times is due to move to the DLQ. */
        boolean exhausted(int receiveCount) {
            return maxReceiveCount > 0 && receiveCount >= maxReceiveCount;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Attributes SQS accepts that the in-memory queue stores nowhere (encryption, policies, throughput modes). */
    private static final Set<String> ACCEPTED_IGNORED = Set.of("Policy", "KmsMasterKeyId",
            "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "DeduplicationScope", "FifoThroughputLimit",
            "RedriveAllowPolicy");

    static QueueSettings defaults(boolean fifo) {
        return new QueueSettings(fifo, 30, 0, 345_600, MessageRules.MAX_MESSAGE_SIZE, 0, false, Redrive.NONE);
    }

    /** These settings with {@code attributes} applied; fails as SQS does on an unknown name or a bad value. */
    QueueSettings with(Map<String, String> attributes, boolean creating) {
        boolean fifoValue = fifo;
        int visibility = visibilityTimeout;
        int delay = delaySeconds;
        int retention = retentionSeconds;
        int maxSize = maximumMessageSize;
        int wait = receiveWaitTimeSeconds;
        boolean contentDedup = contentBasedDeduplication;
        Redrive redriveValue = redrive;
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            String name = attribute.getKey();
            String value = attribute.getValue();
            switch (name) {
                case "FifoQueue" -> {
                    if (!creating) {
                        throw Errors.invalidAttributeName(name);
                    }
                    fifoValue = parseBoolean(name, value);
                }
                case "VisibilityTimeout" -> visibility = parseInt(name, value, 0, 43_200);
                case "DelaySeconds" -> delay = parseInt(name, value, 0, MessageRules.MAX_DELAY_SECONDS);
                case "MessageRetentionPeriod" -> retention = parseInt(name, value, 60, 1_209_600);
                case "MaximumMessageSize" -> maxSize = parseInt(name, value, 1024, MessageRules.MAX_MESSAGE_SIZE);
                case "ReceiveMessageWaitTimeSeconds" -> wait = parseInt(name, value, 0, 20);
                case "ContentBasedDeduplication" -> {
                    contentDedup = parseBoolean(name, value);
                    if (!fifo && !(creating && fifoValue)) {
                        throw Errors.invalidAttributeName(name);
                    }
                }
                case "RedrivePolicy" -> {
                    if (value == null || value.isEmpty()) {
                        redriveValue = Redrive.NONE;
                    } else {
                        try {
                            JsonNode policy = JSON.readTree(value);
                            JsonNode arn = policy.get("deadLetterTargetArn");
                            JsonNode count = policy.get("maxReceiveCount");
                            if (arn == null || !arn.isTextual() || count == null) {
                                throw Errors.invalidAttributeValue(name, value,
                                        "Redrive policy is not a valid JSON: deadLetterTargetArn and maxReceiveCount"
                                                + " are required.");
                            }
                            redriveValue = new Redrive(value, arn.asText(),
                                    parseInt(name + ".maxReceiveCount", count.asText(), 1, 1000));
                        } catch (SqsException e) {
                            throw e;
                        } catch (Exception e) {
                            throw Errors.invalidAttributeValue(name, value, "Redrive policy is not a valid JSON.");
                        }
                    }
                }
                default -> {
                    if (!ACCEPTED_IGNORED.contains(name)) {
                        throw Errors.invalidAttributeName(name);
                    }
                }
            }
        }
        return new QueueSettings(fifoValue, visibility, delay, retention, maxSize, wait, contentDedup, redriveValue);
    }

    /** What this queue allows a message sent to it. */
    MessageRules.Limits limits() {
        return new MessageRules.Limits(fifo, contentBasedDeduplication, maximumMessageSize);
    }

    /** The settable attributes as SQS reports them. */
    Map<String, String> asStrings() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("VisibilityTimeout", Integer.toString(visibilityTimeout));
        values.put("DelaySeconds", Integer.toString(delaySeconds));
        values.put("MessageRetentionPeriod", Integer.toString(retentionSeconds));
        values.put("MaximumMessageSize", Integer.toString(maximumMessageSize));
        values.put("ReceiveMessageWaitTimeSeconds", Integer.toString(receiveWaitTimeSeconds));
        if (fifo) {
            values.put("FifoQueue", "true");
            values.put("ContentBasedDeduplication", Boolean.toString(contentBasedDeduplication));
        }
        if (redrive.policy() != null) {
            values.put("RedrivePolicy", redrive.policy());
        }
        return values;
    }

    private static int parseInt(String name, String value, int min, int max) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (RuntimeException e) {
            throw Errors.invalidAttributeValue(name, value, "must be an integer between " + min + " and " + max + ".");
        }
        if (parsed < min || parsed > max) {
            throw Errors.invalidAttributeValue(name, value, "must be between " + min + " and " + max + ".");
        }
        return parsed;
    }

    private static boolean parseBoolean(String name, String value) {
        if ("true".equalsIgnoreCase(value)) {
            return true;
        }
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        throw Errors.invalidAttributeValue(name, value, "must be true or false.");
    }
}
