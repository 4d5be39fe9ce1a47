package io.sluice.runtime.admin;

import io.sluice.runtime.SluiceSettings;
import java.io.InputStream;
import java.util.Arrays;
import java.util.OptionalInt;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;

/**
 * Sluice's admin CLI: looks at queues and repairs them with the SQS configuration the worker uses.
 *
 * <pre>
 * java -jar app.jar admin queues [--prefix P] [--json]                  (with SluiceMain as Main-Class)
 * java -jar app.jar admin dlq peek QUEUE [--max N] [--json] [--body]
 * java -jar app.jar admin dlq redrive QUEUE [--filter-exception CLASS] [--max N] [--dry-run] [--to QUEUE]
 * java -jar app.jar admin purge QUEUE [--yes]
 * java -jar app.jar admin send QUEUE FILE [--group-id ID | --group-field FIELD] [--dedup-field FIELD]
 * </pre>
 *
 * <p>Each command takes {@code --endpoint}, {@code --region} and {@code --profile} over the {@code sluice.*} settings
 * ({@link SluiceSettings}) and the AWS SDK's own configuration; {@code --help} tells what each one reads and changes.
 * Results go to the output stream; progress lines, prompts, warnings and errors to the error stream. Exit status 0
 * when done, 1 when an operation failed (one line naming the queue and why; {@code --verbose} adds the stack trace),
 * 2 for a usage error.
 */
public final class SluiceAdmin {

    /** The first argument of a worker jar's command line that runs this CLI instead of the worker. */
    public static final String COMMAND = "admin";

    private SluiceAdmin() {
    }

    /**
     * Runs the CLI when {@code args} start with {@value #COMMAND} ({@code java -jar app.jar admin queues}): the exit
     * status, else empty (the arguments are the application's). How a worker main offers it.
     */
    public static OptionalInt runIfCommand(String... args) {
        if (args.length == 0 || !args[0].equals(COMMAND)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(run(Arrays.copyOfRange(args, 1, args.length)));
    }

    /** Runs the CLI on the standard streams with the settings of the environment; returns the exit status. */
    public static int run(String... args) {
        Charset charset = Charset.defaultCharset();
        return run(new PrintWriter(new OutputStreamWriter(System.out, charset), true),
                new PrintWriter(new OutputStreamWriter(System.err, charset), true), System.in, args);
    }

    /**
     * Runs the CLI on the given streams, with the settings of the environment (system properties, {@code SLUICE_*}
     * variables); returns the exit status. For an application that embeds it as a subcommand of its own.
     */
    public static int run(PrintWriter out, PrintWriter err, InputStream in, String... args) {
        return run(AdminContext.system(SluiceSettings.fromEnvironment(), out, err, in), args);
    }

    static int run(AdminContext context, String... args) {
        try {
            return commandLine(context).execute(args);
        } finally {
            context.out().flush();
            context.err().flush();
        }
    }

    static CommandLine commandLine(AdminContext context) {
        CommandLine dlq = new CommandLine(new DlqCommand())
                .addSubcommand(new DlqPeekCommand(context))
                .addSubcommand(new DlqRedriveCommand(context));
        CommandLine admin = new CommandLine(new AdminCommand())
                .addSubcommand(new QueuesCommand(context))
                .addSubcommand(dlq)
                .addSubcommand(new PurgeCommand(context))
                .addSubcommand(new SendCommand(context));
        admin.setOut(context.out());
        admin.setErr(context.err());
        admin.setExecutionExceptionHandler((error, command, parsed) -> {
            PrintWriter err = command.getErr();
            err.println("error: " + (error instanceof AdminException ? error.getMessage() : error.toString()));
            if (command.getParseResult().hasMatchedOption("--verbose")) {
                error.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return admin;
    }
}
