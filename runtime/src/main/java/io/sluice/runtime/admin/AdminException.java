package io.sluice.runtime.admin;

/**
 * An admin operation that failed: its message is the one line the CLI prints (naming the queue, the message and what
 * failed), and the command exits with status 1.
 */
final class AdminException extends RuntimeException {

    AdminException(String message) {
        super(message);
    }

    AdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
