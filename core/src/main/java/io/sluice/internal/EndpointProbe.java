package io.sluice.internal;

import io.sluice.internal.support.Failures;
import io.sluice.time.Scheduler;
import io.sluice.transport.SqsUnavailableException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Tells why an endpoint whose call timed out gave no answer, by opening one plain TCP connection to it: refused means
 * nothing listens there (a stopped server, a wrong port); connected means a server listens but does not answer; no
 * connection within the probe's time means the network drops the packets. A call can time out on a loaded machine
 * before the client's first connection attempt even began (a cold JVM loading the SDK); one socket is not held up by
 * that, so the cause named is the endpoint's, not the machine's.
 */
final class EndpointProbe {

    /** How long the probe waits for a connection: a listening endpoint accepts in milliseconds. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private EndpointProbe() {
    }

    /**
     * Why {@code endpoint} gave no answer, in the words of {@link SqsUnavailableException#reason}; empty when the
     * probe cannot tell (no host in the URI, no socket to open).
     */
    static CompletableFuture<Optional<String>> whyNoAnswer(URI endpoint, Scheduler scheduler, Duration timeout) {
        String host = endpoint.getHost();
        if (host == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        int port = endpoint.getPort() >= 0 ? endpoint.getPort() : "https".equalsIgnoreCase(endpoint.getScheme()) ? 443
                : 80;
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            return CompletableFuture.completedFuture(Optional.of("unknown host '" + host + "'"));
        }
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Optional<String>> result = new CompletableFuture<>();
        Scheduler.Cancellable timer = scheduler.schedule(timeout,
                () -> result.complete(Optional.of("timed out (no connection within " + timeout.toSeconds() + "s)")));
        result.whenComplete((ignored, error) -> {
            timer.cancel();
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was sent; the socket is gone either way
            }
        });
        try {
            channel.connect(address, null, new CompletionHandler<Void, Void>() {
                @Override
                public void completed(Void ignored, Void attachment) {
                    result.complete(Optional.of("timed out (no answer)"));
                }

                @Override
                public void failed(Throwable error, Void attachment) {
                    result.complete(Optional.of(SqsUnavailableException.reason(error)
                            .orElseGet(() -> "cannot connect (" + Failures.rootMessage(error) + ")")));
                }
            });
        } catch (RuntimeException e) {
            result.complete(Optional.empty());
        }
        return result;
    }
}
