package io.sluice.runtime.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.producer.OutgoingMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads messages from JSON lines: each line that is not blank is one JSON value, sent as it is. For a FIFO queue the
 * message group comes from a top-level field of each line ({@code --group-field}) or is the same for all ({@code
 * --group-id}; the default when a line lacks the field), and the deduplication id from a field ({@code
 * --dedup-field}). A line that is not JSON, or lacks a field it needs, is a problem naming its number.
 */
final class JsonLines {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String groupId;
    private final String groupField;
    private final String deduplicationField;

    /**
     * @param groupId            every message's group, or (with {@code groupField}) the group of a line without the
     *                           field; {@code null} for none
     * @param groupField         the field that holds a message's group, or {@code null}
     * @param deduplicationField the field that holds a message's deduplication id, or {@code null}
     */
    JsonLines(String groupId, String groupField, String deduplicationField) {
        this.groupId = groupId;
        this.groupField = groupField;
        this.deduplicationField = deduplicationField;
    }

    /**
     * One message of the file.
     *
     * @param number          its line number, from 1
     * @param body            the line as it is
     * @param groupId         its message group, or {@code null}
     * @param deduplicationId its deduplication id, or {@code null}
     */
    record Line(int number, String body, String groupId, String deduplicationId) {

        OutgoingMessage message() {
            OutgoingMessage message = OutgoingMessage.of(body);
            if (groupId != null) {
                message = message.group(groupId);
            }
            return deduplicationId != null ? message.deduplicationId(deduplicationId) : message;
        }
    }

    /** The messages read, and each line that could not be read as one ({@code "line 3: ..."}). */
    record Parsed(List<Line> lines, List<String> problems) {
    }

    Parsed read(BufferedReader reader) throws IOException {
        List<Line> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int number = 0;
        for (String text = reader.readLine(); text != null; text = reader.readLine()) {
            number++;
            if (text.isBlank()) {
                continue;
            }
            try {
                lines.add(line(number, text));
            } catch (IllegalArgumentException e) {
                problems.add("line " + number + ": " + e.getMessage());
            }
        }
        return new Parsed(lines, problems);
    }

    private Line line(int number, String text) {
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        String group = groupField == null ? groupId : field(json, groupField, "message group", groupId);
        String deduplication = deduplicationField == null ? null
                : field(json, deduplicationField, "deduplication id", null);
        return new Line(number, text, group, deduplication);
    }

    /** The text of top-level field {@code name} (a string, number or boolean), else {@code fallback} or a problem. */
    private static String field(JsonNode json, String name, String role, String fallback) {
        JsonNode value = json.get(name);
        if (value != null && value.isValueNode() && !value.isNull() && !value.asText().isEmpty()) {
            return value.asText();
        }
        if (fallback != null) {
            return fallback;
        }
        throw new IllegalArgumentException("no top-level field '" + name + "' (a string or number) for the " + role);
    }
}
