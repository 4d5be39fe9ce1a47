package io.sluice.benchmarks;

import io.sluice.DeadLetterReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What a chaos run did to each message it sent, from the workers' journals, the dead-letter queue and the queue's
 * depth: handled at least once, lost, handled more than once and why, dead-lettered and why.
 */
final class ChaosAudit {

    /** A duplicate's cause, as far as the journals tell. */
    static final String KILLED = "redelivered after its worker was killed before the delete";
    static final String DELETE_FAILED = "its delete failed for good";
    static final String CAME_BACK = "came back before its delete was confirmed (visibility lapsed under faults)";
    static final String AFTER_DELETE = "delivered again after its delete was confirmed";

    /** One journal line about a message of the orders queue. */
    record Entry(int worker, char kind, int receiveCount, long at) {
    }

    /** The figures of a run. */
    record Figures(int sent, int poison, int handledAtLeastOnce, List<String> lost, Map<String, Integer> duplicates,
            int deadLettered, int poisonDeadLetteredWithReason, List<String> unexpectedDeadLetters, long left,
            int extraDeadLetterCopies) {
    }

    private final String queue;
    private final Map<String, List<Entry>> byMessage = new HashMap<>();

    ChaosAudit(String queue) {
        this.queue = queue;
    }

    /** Reads the journal of worker {@code number}; a line cut by a kill is skipped. */
    void read(int number, Path journal) throws IOException {
        if (!Files.exists(journal)) {
            return;
        }
        for (String line : Files.readAllLines(journal)) {
            String[] parts = line.split(" ");
            if (parts.length < 3 || !parts[1].equals(queue)) {
                continue;
            }
            char kind = parts[0].charAt(0);
            int receiveCount = parts.length > 3 && kind != 'D' && kind != 'F' ? parse(parts[3]) : 0;
            long at = kind == 'H' && parts.length > 4 ? parse(parts[4]) : 0;
            byMessage.computeIfAbsent(parts[2], id -> new ArrayList<>()).add(new Entry(number, kind, receiveCount, at));
        }
    }

    private static int parse(String number) {
        try {
            return (int) Long.parseLong(number);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * @param sent         the message ids sent, by (unique) body
     * @param poison       the ids of the poison among them
     * @param deadLetters  what the dead-letter queue held at the end
     * @param killed       when each killed worker (by number) died
     * @param left         messages still in the queue (visible, in flight or delayed) at the end
     */
    Figures figures(Map<String, String> sent, Set<String> poison, List<Message> deadLetters,
            Map<Integer, Instant> killed, long left) {
        Map<String, DeadLetterReason> deadById = new LinkedHashMap<>();
        List<String> unexpected = new ArrayList<>();
        int copies = 0;
        for (Message message : deadLetters) {
            String id = sent.get(message.body());
            DeadLetterReason reason = DeadLetterReason.of(message).orElse(null);
            if (id != null && deadById.containsKey(id)) {
                copies++; // a dead-letter send retried after its response was lost
                continue;
            }
            if (id == null || !poison.contains(id) || reason == null) {
                unexpected.add((id == null ? "an unknown message" : id) + ": " + (reason == null
                        ? "no reason (moved by SQS's redrive policy)" : reason.errorClass() + ": "
                                + reason.errorMessage()));
            }
            if (id != null) {
                deadById.put(id, reason);
            }
        }
        int handledAtLeastOnce = 0;
        List<String> lost = new ArrayList<>();
        Map<String, Integer> duplicates = new TreeMap<>();
        for (String id : sent.values()) {
            List<Entry> entries = byMessage.getOrDefault(id, List.of());
            List<Entry> handled = entries.stream().filter(entry -> entry.kind() == 'H').toList();
            if (!handled.isEmpty() && !poison.contains(id)) {
                handledAtLeastOnce++;
            }
            if (handled.isEmpty() && !deadById.containsKey(id)) {
                lost.add(id);
            }
            if (handled.size() > 1) {
                duplicates.merge(cause(handled.get(0), entries, killed), handled.size() - 1, Integer::sum);
            }
        }
        int poisonWithReason = (int) poison.stream().filter(id -> deadById.get(id) != null).count();
        return new Figures(sent.size(), poison.size(), handledAtLeastOnce, lost, duplicates, deadById.size(),
                poisonWithReason, unexpected, left, copies);
    }

    /** Why the message of its first handling {@code first} was handled again. */
    private static String cause(Entry first, List<Entry> entries, Map<Integer, Instant> killed) {
        boolean deleted = entries.stream().anyMatch(entry -> entry.worker() == first.worker() && entry.kind() == 'D');
        boolean deleteFailed = entries.stream().anyMatch(entry -> entry.worker() == first.worker()
                && entry.kind() == 'F');
        if (deleteFailed) {
            return DELETE_FAILED;
        }
        if (deleted) {
            return AFTER_DELETE;
        }
        Instant death = killed.get(first.worker());
        return death != null && death.toEpochMilli() >= first.at() ? KILLED : CAME_BACK;
    }
}
