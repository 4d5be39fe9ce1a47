package io.sluice.testing.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP proxy between an SQS client and an SQS-compatible server (ElasticMQ, say) that injects the faults of
 * a {@link FaultPlan} on the wire, so that a worker in another process, or the AWS SDK with its own retries, meets them
 * as it would meet them from SQS.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(elasticMq, FaultPlan.builder().seed(7).allActions(0.05)
 *         .lostResponseShare(1 / 3.0).build())) {
 *     SqsTransport transport = SqsTransport.create(SqsClientConfig.builder().endpoint(proxy.endpoint())
 *             .region("us-east-1").credentials("x", "x").build());
 *     // ... run the worker on it, then: System.out.println(proxy.counts().report());
 * }
 * }</pre>
 *
 * <p>It listens on {@code 127.0.0.1} ({@link #endpoint()}) and forwards each client connection's requests over a
 * connection of its own to the target, keeping both alive between requests as HTTP/1.1 allows. It reads every request
 * and response whole ({@code Content-Length} or chunked; it writes them with a {@code Content-Length}) and finds the
 * action in the {@code X-Amz-Target} header of SQS's JSON protocol; a request that is not one of {@link SqsAction}'s
 * passes untouched and uncounted. Per request, as the plan decides: {@link Fault#THROTTLING} and {@link
 * Fault#SERVER_ERROR} are answered by the proxy with SQS's error (400 {@code RequestThrottled}, 500 {@code
 * InternalError}); {@link Fault#CONNECTION_RESET} resets the client connection before forwarding; {@link
 * Fault#TIMEOUT} holds the request unanswered until the client gives up or {@link Builder#maxHold} passes, then closes
 * the connection; {@link Fault#LATENCY} forwards after the delay; {@link Fault#PARTIAL_BATCH} forwards only some entries
 * of a batch and adds the others to the answer's {@code Failed} list; {@link Fault#LOST_RESPONSE} forwards the request,
 * reads the server's whole response, and resets the client connection instead of answering. Rewriting a batch changes
 * the body under the request's signature: fine for local servers, which do not check it, not for AWS.
 *
 * <p>An {@linkplain #outage outage} of {@link Fault#CONNECTION_REFUSED} covering every action closes the listening
 * socket, so new connections are refused by the system (not counted: the proxy never sees them), and resets the
 * connections already open at their next request; {@link #endOutage()} listens again on the same port.
 *
 * <p>One thread per connection (virtual threads on Java 21+). {@link #close()} closes every connection at once and
 * stops every thread. Thread safe.
 */
public final class FaultProxy implements FaultControl, AutoCloseable {

    /** How long a request with {@link Fault#TIMEOUT} is held at most, unless set. */
    public static final Duration DEFAULT_MAX_HOLD = Duration.ofSeconds(60);

    private final URI target;
    private final InetSocketAddress targetAddress;
    private final FaultDecisions decisions;
    private final Duration maxHold;
    private final ProxySockets sockets = new ProxySockets();
    private final ExecutorService threads;
    private final InetSocketAddress address;
    private final Object listening = new Object();
    private ServerSocket listener;

    private FaultProxy(Builder builder) throws IOException {
        this.target = builder.target;
        this.targetAddress = new InetSocketAddress(target.getHost(), target.getPort() == -1 ? 80 : target.getPort());
        this.decisions = new FaultDecisions(builder.plan);
        this.maxHold = builder.maxHold;
        ServerSocket first = bind(builder.port);
        this.address = new InetSocketAddress(first.getInetAddress(), first.getLocalPort());
        this.threads = ConnectionThreads.start("fault-proxy");
        listen(first);
    }

    /** A proxy on a free loopback port in front of {@code target} (an {@code http://} endpoint), injecting {@code plan}. */
    public static FaultProxy start(URI target, FaultPlan plan) {
        return builder(target).plan(plan).start();
    }

    /** A builder of a proxy in front of {@code target}, an {@code http://host:port} endpoint. */
    public static Builder builder(URI target) {
        return new Builder(target);
    }

    /** Where clients connect: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + address.getPort());
    }

    /** Where requests go. */
    public URI target() {
        return target;
    }

    // ---- FaultControl ----

    @Override
    public FaultPlan plan() {
        return decisions.plan();
    }

    @Override
    public FaultCounts counts() {
        return decisions.counts();
    }

    @Override
    public void enabled(boolean enabled) {
        decisions.enabled(enabled);
    }

    @Override
    public boolean isEnabled() {
        return decisions.isEnabled();
    }

    /**
     * {@inheritDoc} A {@link Fault#CONNECTION_REFUSED} outage of every action also stops listening, so that new
     * connections are refused; of some actions, their requests get their connection reset (it is open already).
     */
    @Override
    public void outage(Fault kind, SqsAction... actions) {
        decisions.outage(kind, actions);
        FaultDecisions.Outage outage = decisions.currentOutage();
        if (outage.kind() == Fault.CONNECTION_REFUSED && outage.coversEveryAction()) {
            stopListening();
        } else {
            resumeListening();
        }
    }

    /**
     * {@inheritDoc} Listens again (on the same port) after an outage that refused connections.
     *
     * @throws UncheckedIOException when that port was taken meanwhile
     */
    @Override
    public void endOutage() {
        decisions.endOutage();
        resumeListening();
    }

    /** Closes every connection and stops every thread of the proxy. Idempotent. */
    @Override
    public void close() {
        synchronized (listening) {
            sockets.closeAll();
            if (listener != null) {
                ProxySockets.closeQuietly(listener);
                listener = null;
            }
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FaultProxy{" + endpoint() + " -> " + target + ", " + plan() + '}';
    }

    // ---- listening ----

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 128);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void listen(ServerSocket socket) {
        synchronized (listening) {
            listener = socket;
            sockets.track(socket);
            threads.execute(() -> accept(socket));
        }
    }

    private void stopListening() {
        synchronized (listening) {
            if (listener != null) {
                sockets.forget(listener);
                ProxySockets.closeQuietly(listener);
                listener = null;
            }
        }
    }

    private void resumeListening() {
        synchronized (listening) {
            if (listener != null || sockets.isClosed()) {
                return;
            }
            try {
                listen(bind(address.getPort()));
            } catch (IOException e) {
                throw new UncheckedIOException("FaultProxy cannot listen on " + endpoint() + " again", e);
            }
        }
    }

    /** Accepts connections until {@code socket} closes (the proxy closing, or an outage refusing connections). */
    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return;
            }
            if (!sockets.track(client)) {
                return;
            }
            try {
                client.setTcpNoDelay(true);
                threads.execute(new ProxyConnection(client, targetAddress, decisions, sockets, maxHold));
            } catch (IOException | RejectedExecutionException e) {
                sockets.forget(client);
                ProxySockets.reset(client);
            }
        }
    }

    /** Builds and starts a {@link FaultProxy}; each setter rejects a bad value at once, naming it. */
    public static final class Builder {
        private final URI target;
        private FaultPlan plan = FaultPlan.none();
        private Duration maxHold = DEFAULT_MAX_HOLD;
        private int port;

        private Builder(URI target) {
            Objects.requireNonNull(target, "target");
            if (!"http".equalsIgnoreCase(target.getScheme()) || target.getHost() == null) {
                throw new IllegalArgumentException("FaultProxy target must be an http://host:port endpoint (the"
                        + " proxy does not speak TLS), but was " + target);
            }
            this.target = target;
        }

        /** The faults to inject ({@link FaultPlan#none()} unless set: the proxy only counts). */
        public Builder plan(FaultPlan plan) {
            this.plan = Objects.requireNonNull(plan, "plan");
            return this;
        }

        /** How long a request with {@link Fault#TIMEOUT} is held unanswered at most ({@link #DEFAULT_MAX_HOLD}). */
        public Builder maxHold(Duration maxHold) {
            Objects.requireNonNull(maxHold, "maxHold");
            if (maxHold.isNegative() || maxHold.isZero()) {
                throw new IllegalArgumentException("FaultProxy maxHold must be positive, but was " + maxHold);
            }
            this.maxHold = maxHold;
            return this;
        }

        /** The loopback port to listen on (0, the default: a free one). */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("FaultProxy port must be 0..65535, but was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Starts the proxy.
         *
         * @throws UncheckedIOException when the port cannot be bound
         */
        public FaultProxy start() {
            try {
                return new FaultProxy(this);
            } catch (IOException e) {
                throw new UncheckedIOException("FaultProxy cannot listen on 127.0.0.1:" + port, e);
            }
        }
    }
}
