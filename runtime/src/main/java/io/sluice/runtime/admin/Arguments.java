package io.sluice.runtime.admin;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of a command's arguments beyond what picocli's parsing checks; a bad one is a usage error (status 2). */
final class Arguments {

    private Arguments() {
    }

    /** A usage error of {@code spec}'s command: picocli prints {@code message} and the command's usage. */
    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code value} of option {@code name}, when it is at least 1. */
    static int positive(CommandSpec spec, String name, int value) {
        if (value < 1) {
            throw usage(spec, name + " must be at least 1, but was " + value);
        }
        return value;
    }
}
