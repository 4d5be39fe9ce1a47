package io.sluice.internal.polling;

import java.util.concurrent.CompletableFuture;

/**
 * Consulted by a {@link QueuePoller} just before each receive, once it holds the handler slots: how many messages it may ask for now, or a wait until it may
 * receive at all (a circuit breaker holds its queue's pollers while open). Thread safe; a returned future may be
 * cancelled by a stopping poller.
 */
public interface ReceiveGate {

    /** Completes with how many messages (1..{@code max}) the next receive may ask for, once receiving is allowed. */
    CompletableFuture<Integer> admit(int max);

    /** The receive admitted with {@link #admit} for {@code admitted} messages returned {@code received}. */
    default void received(int admitted, int received) {
    }

    /** A gate that always admits. */
    static ReceiveGate always() {
        return max -> CompletableFuture.completedFuture(max);
    }
}
