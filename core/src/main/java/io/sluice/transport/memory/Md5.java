package io.sluice.transport.memory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The MD5 digests SQS returns: of the body, and of the message attributes and the message system attributes by SQS's
 * documented encoding.
 */
final class Md5 {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no MD5", e);
        }
    });

    private Md5() {
    }

    static String ofBody(String body) {
        MessageDigest digest = DIGEST.get();
        digest.reset();
        return hex(digest.digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * SQS's MD5OfMessageAttributes: for each attribute in name order, the 4-byte big-endian length and UTF-8 bytes of
     * the name and of the data type, one transport byte (1 string, 2 binary), then the length and bytes of the value.
     *
     * @return the digest, or {@code null} when there are no attributes
     */
    static String ofAttributes(Map<String, MessageAttributeValue> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return null;
        }
        MessageDigest digest = DIGEST.get();
        digest.reset();
        for (Map.Entry<String, MessageAttributeValue> entry : new TreeMap<>(attributes).entrySet()) {
            MessageAttributeValue value = entry.getValue();
            update(digest, entry.getKey().getBytes(StandardCharsets.UTF_8));
            update(digest, value.dataType().getBytes(StandardCharsets.UTF_8));
            if (value.binaryValue() != null) {
                digest.update((byte) 2);
                update(digest, value.binaryValue().asByteArray());
            } else {
                digest.update((byte) 1);
                update(digest, value.stringValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return hex(digest.digest());
    }

    /**
     * SQS's MD5OfMessageSystemAttributes for a message sent with the {@code AWSTraceHeader} {@code traceHeader}: the
     * encoding of {@link #ofAttributes}, over the one String attribute.
     *
     * @return the digest, or {@code null} when there is no trace header
     */
    static String ofTraceHeader(String traceHeader) {
        if (traceHeader == null) {
            return null;
        }
        return ofAttributes(Map.of("AWSTraceHeader",
                MessageAttributeValue.builder().dataType("String").stringValue(traceHeader).build()));
    }

    private static void update(MessageDigest digest, byte[] bytes) {
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }

    private static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }
}
