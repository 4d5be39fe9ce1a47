package io.sluice.runtime.admin;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only groups others ({@code admin}, {@code dlq}): given without one of them, it is a usage error. */
abstract class CommandGroup implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw Arguments.usage(spec, "name a command: " + String.join(", ", spec.subcommands().keySet()));
    }
}
