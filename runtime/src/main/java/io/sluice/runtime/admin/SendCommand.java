package io.sluice.runtime.admin;

import io.sluice.producer.SendAllResult;
import io.sluice.producer.SendOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code send}: one message per JSON line of a file, through Sluice's producer. */
@Command(name = "send", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Sends each line of FILE (JSON lines; - for standard input) as one message, its body the line as"
                + " it is, through Sluice's SqsProducer (batches of 10, retries, the checks SQS would make). Blank"
                + " lines are skipped. Every line is checked first: if one is not JSON (or lacks a field named below)"
                + " nothing is sent unless --skip-invalid is given.",
                "A FIFO queue needs a message group for each message (--group-id, --group-field) and, unless the queue"
                        + " deduplicates by content, a deduplication id (--dedup-field)."})
final class SendCommand extends SqsCommand {

    /** Lines handed to the producer at once. */
    private static final int CHUNK = 1000;
    /** Problems listed one by one before the rest are only counted. */
    private static final int LISTED = 20;

    @Parameters(index = "0", paramLabel = "QUEUE", description = "the queue: name or URL")
    String queue;

    @Parameters(index = "1", paramLabel = "FILE", description = "JSON lines, one message each; - for standard input")
    String file;

    @Option(names = "--group-id", paramLabel = "ID",
            description = "the message group of every message (with --group-field: of a line without that field)")
    String groupId;

    @Option(names = "--group-field", paramLabel = "FIELD",
            description = "the top-level field of each line that holds its message group")
    String groupField;

    @Option(names = "--dedup-field", paramLabel = "FIELD",
            description = "the top-level field of each line that holds its deduplication id (FIFO queues)")
    String deduplicationField;

    @Option(names = "--skip-invalid", description = "send the valid lines even when some are not")
    boolean skipInvalid;

    SendCommand(AdminContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        boolean fifo = (QueueRef.isUrl(queue) ? QueueRef.ofUrl(queue).name() : queue).endsWith(".fifo");
        if (fifo && groupId == null && groupField == null) {
            throw Arguments.usage(spec, "queue '" + queue + "' is a FIFO queue: give each message's group with"
                    + " --group-id ID or --group-field FIELD");
        }
        if (!fifo && deduplicationField != null) {
            throw Arguments.usage(spec, "--dedup-field is for FIFO queues; '" + queue + "' is a standard queue");
        }
        JsonLines.Parsed parsed = read();
        if (!parsed.problems().isEmpty()) {
            list(parsed.problems());
            if (!skipInvalid) {
                context.err().println("nothing sent: " + lines(parsed.problems().size()) + " of " + file
                        + " cannot be sent (--skip-invalid sends the others)");
                context.err().flush();
                return 1;
            }
        }
        int failed;
        try (SqsSession session = openSession()) {
            failed = send(session, session.queue(queue), parsed.lines());
        }
        context.out().println("sent " + (parsed.lines().size() - failed) + " of " + parsed.lines().size()
                + (parsed.lines().size() == 1 ? " message" : " messages") + " to '" + queue + "'"
                + (failed > 0 ? "; " + failed + " failed" : "")
                + (parsed.problems().isEmpty() ? "" : "; skipped " + lines(parsed.problems().size())));
        context.out().flush();
        return failed > 0 ? 1 : 0;
    }

    private JsonLines.Parsed read() throws IOException {
        JsonLines reader = new JsonLines(groupId, groupField, deduplicationField);
        if (file.equals("-")) {
            return reader.read(context.in());
        }
        try (BufferedReader lines = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            return reader.read(lines);
        } catch (NoSuchFileException e) {
            throw Arguments.usage(spec, "file '" + file + "' does not exist");
        } catch (IOException e) {
            throw new AdminException("cannot read '" + file + "': " + e, e);
        }
    }

    /** @return how many failed */
    private int send(SqsSession session, QueueRef target, List<JsonLines.Line> lines) {
        Progress progress = new Progress(context.err(), context.clock());
        List<String> failures = new ArrayList<>();
        for (int from = 0; from < lines.size(); from += CHUNK) {
            List<JsonLines.Line> chunk = lines.subList(from, Math.min(lines.size(), from + CHUNK));
            SendAllResult result = session.producer().sendAll(target.url(), chunk.stream()
                    .map(JsonLines.Line::message).toList());
            for (SendOutcome.Failed failure : result.failed()) {
                failures.add("line " + chunk.get(failure.index()).number() + ": " + failure.error().getMessage());
            }
            int done = from + chunk.size();
            progress.report(() -> "sent " + done + " of " + lines.size() + " to '" + target.name() + "'");
        }
        list(failures);
        return failures.size();
    }

    private void list(List<String> problems) {
        problems.stream().limit(LISTED).forEach(context.err()::println);
        if (problems.size() > LISTED) {
            context.err().println("... and " + (problems.size() - LISTED) + " more");
        }
        context.err().flush();
    }

    private static String lines(int count) {
        return count + (count == 1 ? " line" : " lines");
    }
}
