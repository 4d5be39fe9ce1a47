package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.inject.AbstractModule;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.CapturedLogs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker main against an SQS endpoint that cannot be used (issue 8): each case fails within seconds, with exit
 * status 2 and one line naming the endpoint or the missing setting and the root cause, never blaming the handlers and
 * never printing the SDK's stack trace.
 */
class StartupErrorsIT {

    /** A module with one handler, loaded by name like a user's. */
    public static final class OrdersModule extends AbstractModule {
        @Override
        protected void configure() {
            bind(OrderHandler.class);
        }
    }

    public static final class OrderHandler {
        @SqsHandler(queue = "orders")
        public void handle(String body) {
        }
    }

    private final Map<String, String> saved = new java.util.HashMap<>();

    @AfterEach
    void restoreSystemProperties() {
        saved.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }

    private void set(String key, String value) {
        saved.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    private List<String> runMain() throws InterruptedException {
        try (CapturedLogs logs = CapturedLogs.of(SluiceMain.class)) {
            long started = System.nanoTime();
            int status = SluiceMain.run(new String[] {OrdersModule.class.getName()});
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(status).isEqualTo(2);
            assertThat(took).as("fails within seconds").isLessThan(Duration.ofSeconds(20));
            List<String> errors = logs.lines().stream().filter(line -> line.startsWith("ERROR")).toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0)).doesNotContain("\n").doesNotContain("Invalid Sluice handler setup");
            return errors;
        }
    }

    private void localEndpoint(int port) {
        set("sluice.endpoint", "http://127.0.0.1:" + port);
        set("sluice.region", "us-east-1");
        set("sluice.access-key-id", "x");
        set("sluice.secret-access-key", "x");
    }

    @Test
    void aRefusedConnectionIsReportedAsSuchNamingTheEndpoint() throws Exception {
        // A port bound but not listening: connections are refused, and no other process can take it meanwhile.
        try (Socket bound = new Socket()) {
            bound.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = bound.getLocalPort();
            localEndpoint(port);

            assertThat(runMain().get(0)).isEqualTo("ERROR Sluice worker cannot start: cannot reach SQS at"
                    + " http://127.0.0.1:" + port + " (region us-east-1): connection refused, while resolving queue"
                    + " 'orders' for OrderHandler.handle");
        }
    }

    @Test
    void anEndpointThatNeverAnswersTimesOutWithinSecondsNotAfterTheWholeStartupTimeout() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        accepted.add(silent.accept()); // read nothing, answer nothing
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-endpoint");
            acceptor.setDaemon(true);
            acceptor.start();
            localEndpoint(silent.getLocalPort());

            assertThat(runMain().get(0)).startsWith("ERROR Sluice worker cannot start: cannot reach SQS at"
                            + " http://127.0.0.1:" + silent.getLocalPort() + " (region us-east-1): timed out")
                    .endsWith("while resolving queue 'orders' for OrderHandler.handle");
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void noRegionFailsNamingTheSettingsThatGiveOne() throws Exception {
        assumeTrue(System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null,
                "the environment sets a region");
        set("sluice.endpoint", "http://127.0.0.1:9");
        set("aws.configFile", "/nonexistent/sluice-test/config"); // no region from a profile either
        set("aws.disableEc2Metadata", "true");                    // nor from instance metadata
        set("sluice.access-key-id", "x");
        set("sluice.secret-access-key", "x");
        saved.putIfAbsent("aws.region", System.getProperty("aws.region"));
        System.clearProperty("aws.region");

        assertThat(runMain().get(0)).startsWith("ERROR Sluice worker cannot start: no AWS region is configured for"
                + " the SQS client: set AWS_REGION, the system property aws.region, sluice.region (SLUICE_REGION)");
    }
}
