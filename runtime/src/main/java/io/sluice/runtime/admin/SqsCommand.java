package io.sluice.runtime.admin;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that calls SQS: it runs in an {@link AdminContext}, takes the {@link ConnectionOptions}, and returns its
 * exit status.
 */
abstract class SqsCommand implements Callable<Integer> {

    final AdminContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    SqsCommand(AdminContext context) {
        this.context = context;
    }

    /** A session on the context's settings with this command's connection options on top. */
    SqsSession openSession() {
        return SqsSession.open(connection.applyTo(context.settings()));
    }
}
