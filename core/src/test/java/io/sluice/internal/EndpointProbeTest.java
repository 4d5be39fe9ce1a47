package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.time.VirtualTime;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The probe of an endpoint whose call timed out, against loopback sockets; its own timer runs on virtual time. */
class EndpointProbeTest {

    private final VirtualTime time = new VirtualTime();

    @Test
    void aPortNobodyListensOnIsRefused() throws Exception {
        try (Socket bound = new Socket()) {
            bound.bind(new InetSocketAddress("127.0.0.1", 0)); // bound, not listening: connections are refused
            URI endpoint = URI.create("http://127.0.0.1:" + bound.getLocalPort());

            assertThat(EndpointProbe.whyNoAnswer(endpoint, time, Duration.ofSeconds(3)).get(10, TimeUnit.SECONDS))
                    .contains("connection refused");
        }
    }

    @Test
    void aServerThatAcceptsButDoesNotAnswerIsNamedSo() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            URI endpoint = URI.create("http://127.0.0.1:" + silent.getLocalPort());

            assertThat(EndpointProbe.whyNoAnswer(endpoint, time, Duration.ofSeconds(3)).get(10, TimeUnit.SECONDS))
                    .contains("timed out (no answer)");
        }
    }

    @Test
    void noConnectionWithinTheProbesTimeIsATimeOutWithoutConnection() throws Exception {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never routed. Whatever the network does with it, the probe's timer
        // (virtual time, advanced here) ends the wait unless the network answered first.
        CompletableFuture<Optional<String>> why = EndpointProbe.whyNoAnswer(URI.create("http://192.0.2.1:9324"), time,
                Duration.ofSeconds(3));
        time.advance(Duration.ofSeconds(3));

        // Without a route, the network may answer at once ("no route to host", "cannot connect (Network is
        // unreachable)"); either way the probe names a reason and leaves no timer behind.
        assertThat(why.get(10, TimeUnit.SECONDS)).hasValueSatisfying(reason -> assertThat(reason)
                .matches("timed out \\(no connection within 3s\\)|no route to host|connection refused"
                        + "|cannot connect \\(.+\\)"));
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void anUnknownHostIsNamed() throws Exception {
        assertThat(EndpointProbe.whyNoAnswer(URI.create("http://sluice-no-such-host.invalid:9324"), time,
                Duration.ofSeconds(3)).get(10, TimeUnit.SECONDS)).contains("unknown host 'sluice-no-such-host.invalid'");
    }

    @Test
    void anEndpointWithoutHostCannotBeProbed() throws Exception {
        assertThat(EndpointProbe.whyNoAnswer(URI.create("file:///tmp/x"), time, Duration.ofSeconds(3))
                .get(10, TimeUnit.SECONDS)).isEmpty();
    }
}
