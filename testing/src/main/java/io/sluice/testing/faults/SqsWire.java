package io.sluice.testing.faults;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What the proxy knows of SQS's JSON protocol (the AWS SDKs' since 2023: {@code POST /}, {@code X-Amz-Target:
 * AmazonSQS.<Action>}, a JSON body): which action a request is, error answers that the SDK turns into the exceptions
 * {@link InjectedErrors} builds, and the rewriting of a batch call that fails in part.
 */
final class SqsWire {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET_PREFIX = "AmazonSQS.";

    private SqsWire() {
    }

    /** The action of {@code request}, or empty for a request that is not one of the transport's SQS actions. */
    static Optional<SqsAction> action(HttpMessage request) {
        String target = request.header("X-Amz-Target");
        return target != null && target.startsWith(TARGET_PREFIX)
                ? SqsAction.named(target.substring(TARGET_PREFIX.length()).trim()) : Optional.empty();
    }

    /** How many entries a batch request holds, or -1 when its body is not a JSON object with {@code Entries}. */
    static int entries(HttpMessage request) {
        try {
            JsonNode entries = JSON.readTree(request.body()).path("Entries");
            return entries.isArray() ? entries.size() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The answer of SQS refusing a call: HTTP 400 {@code RequestThrottled} for {@link Fault#THROTTLING}, 500 {@code
     * InternalError} for {@link Fault#SERVER_ERROR}, with the {@code __type} the SDK maps to an exception class and the
     * {@code x-amzn-query-error} code it reports as the error code (the SDK asks for it with {@code
     * x-amzn-query-mode}).
     */
    static HttpMessage error(Fault kind, SqsAction action) {
        boolean throttled = kind == Fault.THROTTLING;
        String code = throttled ? InjectedErrors.THROTTLED_CODE : InjectedErrors.INTERNAL_ERROR_CODE;
        String message = throttled ? "Rate exceeded for " + action + " (injected by FaultProxy)"
                : "We encountered an internal error. Please try again. (" + action + ", injected by FaultProxy)";
        ObjectNode body = JSON.createObjectNode().put("__type", "com.amazonaws.sqs#" + code).put("message", message);
        return HttpMessage.response(throttled ? 400 : 500, throttled ? "Bad Request" : "Internal Server Error",
                List.of(Map.entry("Content-Type", "application/x-amz-json-1.0"),
                        Map.entry("x-amzn-RequestId", UUID.randomUUID().toString()),
                        Map.entry("x-amzn-query-error", code + (throttled ? ";Sender" : ";Receiver"))),
                bytes(body));
    }

    /** A batch request split in the entries to send ({@link #body}) and the ids of those to report failed. */
    record Split(byte[] body, List<String> failedIds) {
        boolean sendsNothing(int entries) {
            return failedIds.size() == entries;
        }
    }

    /** Splits a batch request's entries: those {@code failing} are taken out of the body and reported failed. */
    static Split split(HttpMessage request, boolean[] failing) throws IOException {
        ObjectNode body = (ObjectNode) JSON.readTree(request.body());
        ArrayNode kept = JSON.createArrayNode();
        List<String> failed = new ArrayList<>();
        JsonNode entries = body.path("Entries");
        for (int i = 0; i < entries.size(); i++) {
            if (failing[i]) {
                failed.add(entries.get(i).path("Id").asText());
            } else {
                kept.add(entries.get(i));
            }
        }
        body.set("Entries", kept);
        return new Split(bytes(body), failed);
    }

    /**
     * {@code response} (the server's to the entries sent, or {@code null} when none was) with {@code failedIds} added
     * to its {@code Failed} list as entries SQS could not process. A response that is not a 200 with a JSON object
     * stays as it is.
     */
    static HttpMessage withFailed(HttpMessage response, List<String> failedIds, SqsAction action) throws IOException {
        if (response != null && response.status() != 200) {
            return response;
        }
        ObjectNode body = response == null || response.body().length == 0 ? JSON.createObjectNode()
                : (ObjectNode) JSON.readTree(response.body());
        if (!body.path("Successful").isArray()) {
            body.putArray("Successful");
        }
        ArrayNode failed = body.path("Failed").isArray() ? (ArrayNode) body.get("Failed") : body.putArray("Failed");
        for (String id : failedIds) {
            failed.addObject().put("Id", id).put("SenderFault", false).put("Code", InjectedErrors.INTERNAL_ERROR_CODE)
                    .put("Message", "The entry could not be processed (" + action + ", injected partial failure)");
        }
        return response != null ? response.withBody(bytes(body))
                : HttpMessage.response(200, "OK", List.of(Map.entry("Content-Type", "application/x-amz-json-1.0"),
                        Map.entry("x-amzn-RequestId", UUID.randomUUID().toString())), bytes(body));
    }

    private static byte[] bytes(JsonNode json) {
        try {
            return JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + json, e);
        }
    }
}
