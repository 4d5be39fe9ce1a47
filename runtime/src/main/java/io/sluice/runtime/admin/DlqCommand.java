package io.sluice.runtime.admin;

import picocli.CommandLine.Command;

/** {@code dlq}: the dead-letter queue commands ({@code peek}, {@code redrive}). */
@Command(name = "dlq", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Shows a dead-letter queue's messages with the reason Sluice wrote on them, or moves them back.")
final class DlqCommand extends CommandGroup {
}
