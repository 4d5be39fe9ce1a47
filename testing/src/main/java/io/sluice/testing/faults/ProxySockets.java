package io.sluice.testing.faults;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's open sockets and its closing: closing the proxy closes every socket (which ends every blocked read and
 * write at once) and wakes every pause. Thread safe.
 */
final class ProxySockets {

    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);

    /** Tracks {@code socket} until {@link #forget}; closes it at once and returns false when the proxy is closed. */
    boolean track(Closeable socket) {
        open.add(socket);
        if (isClosed()) {
            closeQuietly(socket);
            open.remove(socket);
            return false;
        }
        return true;
    }

    void forget(Closeable socket) {
        open.remove(socket);
    }

    boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Waits {@code delay} unless the proxy closes first; whether it closed. */
    boolean pause(Duration delay) {
        try {
            return closed.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Closes every socket tracked and every one tracked from now on. */
    void closeAll() {
        closed.countDown();
        open.forEach(ProxySockets::closeQuietly);
        open.clear();
    }

    /** Closes {@code socket} with a TCP reset (RST) instead of an orderly close (FIN): the peer sees "Connection reset". */
    static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed
        }
        closeQuietly(socket);
    }

    static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
