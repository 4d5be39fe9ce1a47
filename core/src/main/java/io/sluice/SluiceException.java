package io.sluice;

/** The base of every exception Sluice throws; the message names the queue, message and handler involved. */
public class SluiceException extends RuntimeException {

    public SluiceException(String message) {
        super(message);
    }

    public SluiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
