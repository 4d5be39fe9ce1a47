package io.sluice.testing.faults;

import io.sluice.testing.faults.FaultDecisions.Decision;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * One client connection through the proxy: reads each request, decides its fault, and answers, forwards, delays, holds
 * or drops it; keeps the connection for the next request as HTTP/1.1 allows. Runs on its own thread until the client
 * or the proxy closes the connection, or a fault drops it.
 */
final class ProxyConnection implements Runnable {

    private final Socket client;
    private final FaultDecisions decisions;
    private final ProxySockets sockets;
    private final Duration maxHold;
    private final Upstream upstream;

    ProxyConnection(Socket client, InetSocketAddress target, FaultDecisions decisions, ProxySockets sockets,
            Duration maxHold) {
        this.client = client;
        this.decisions = decisions;
        this.sockets = sockets;
        this.maxHold = maxHold;
        this.upstream = new Upstream(target, sockets);
    }

    @Override
    public void run() {
        try {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = new BufferedOutputStream(client.getOutputStream());
            while (serve(in, out)) {
                // the next request on this kept-alive connection
            }
            ProxySockets.closeQuietly(client);
        } catch (IOException | RuntimeException e) {
            // The client left, the server could not be reached or answered nonsense: the client sees its connection
            // reset, as it would if the server had failed it.
            ProxySockets.reset(client);
        } finally {
            upstream.close();
            sockets.forget(client);
        }
    }

    /** Serves one request; whether the connection stays open for another. */
    private boolean serve(InputStream in, OutputStream out) throws IOException {
        HttpMessage request = HttpMessage.readRequest(in, out);
        if (request == null) {
            return false;
        }
        Optional<SqsAction> action = SqsWire.action(request);
        Decision decision = action.map(sqsAction -> decisions.decide(sqsAction,
                sqsAction.isBatch() ? SqsWire.entries(request) : -1)).orElse(Decision.PASS);
        if (decision.passes()) {
            return answer(out, upstream.exchange(request), request);
        }
        switch (decision.fault()) {
            case THROTTLING, SERVER_ERROR -> {
                return answer(out, SqsWire.error(decision.fault(), action.orElseThrow()), request);
            }
            case LATENCY -> {
                return !sockets.pause(decision.delay()) && answer(out, upstream.exchange(request), request);
            }
            case PARTIAL_BATCH -> {
                return answer(out, partially(request, action.orElseThrow()), request);
            }
            case LOST_RESPONSE -> {
                upstream.exchange(request); // taken in full by the server, then dropped
                ProxySockets.reset(client);
                return false;
            }
            case TIMEOUT -> {
                hold(in);
                return false;
            }
            default -> { // CONNECTION_RESET, CONNECTION_REFUSED (an outage: the connection is open already)
                ProxySockets.reset(client);
                return false;
            }
        }
    }

    private boolean answer(OutputStream out, HttpMessage response, HttpMessage request) throws IOException {
        boolean close = !request.keepAlive();
        response.writeTo(out, close);
        return !close;
    }

    /** Sends the entries that do not fail, then adds those that do to the response's failed ones. */
    private HttpMessage partially(HttpMessage request, SqsAction action) throws IOException {
        int entries = SqsWire.entries(request);
        SqsWire.Split split = SqsWire.split(request, decisions.failingEntries(action, entries));
        HttpMessage response = split.sendsNothing(entries) ? null
                : upstream.exchange(request.withBody(split.body()));
        return SqsWire.withFailed(response, split.failedIds(), action);
    }

    /**
     * Leaves the request unanswered until the client gives up (closes the connection) or {@code maxHold} passes, then
     * closes the connection. Blocks in a read, not a loop.
     */
    private void hold(InputStream in) throws IOException {
        long deadline = System.nanoTime() + maxHold.toNanos();
        while (!sockets.isClosed()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            client.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
            try {
                if (in.read() == -1) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                return;
            }
        }
    }
}
