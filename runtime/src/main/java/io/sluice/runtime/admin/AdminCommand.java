package io.sluice.runtime.admin;

import picocli.CommandLine.Command;

/** {@code admin}: the CLI's top command; without a subcommand it is a usage error. */
@Command(name = "admin", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        version = "Sluice admin CLI",
        description = {"Looks at and repairs Sluice's SQS queues.",
                "Connects as the worker does: sluice.endpoint, sluice.region, sluice.profile, sluice.access-key-id and"
                        + " sluice.secret-access-key from system properties or SLUICE_* environment variables, else"
                        + " the AWS SDK's own configuration (AWS_REGION, AWS_ENDPOINT_URL_SQS, AWS_PROFILE, shared"
                        + " files, default credentials); --endpoint, --region and --profile of each command override"
                        + " them.",
                "Exit status: 0 done, 1 an operation failed (one line on standard error names the queue and why), 2 a"
                        + " usage error."},
        footer = {"", "Examples:",
                "  admin queues --prefix order",
                "  admin dlq peek order-processing-dlq --max 5",
                "  admin dlq redrive order-processing-dlq --filter-exception PaymentDeclinedException --dry-run",
                "  admin purge scratch --yes",
                "  admin send payments.fifo payments.jsonl --group-field customer_id --dedup-field transaction_id"})
final class AdminCommand extends CommandGroup {
}
