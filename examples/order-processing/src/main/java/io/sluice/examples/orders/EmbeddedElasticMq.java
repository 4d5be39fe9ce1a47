package io.sluice.examples.orders;

import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.scaladsl.Http;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * An ElasticMQ server (an SQS-compatible queue server) inside this JVM, on a loopback port: what the example runs
 * against when no SQS endpoint is configured. Its queues live in memory and vanish when it stops.
 *
 * <p>It stops at once, even while clients hold long polls open. (ElasticMQ's own {@code stopAndWait()} lets each open
 * {@code ReceiveMessage} run to the end of its wait, up to 20 s, even when the client has gone: a stopped worker
 * abandons its long polls, so that would add 20 s to every run. The server therefore runs on an actor system of its own,
 * which {@link #close()} terminates.)
 *
 * <p>{@link #main} runs one on its own, for trying the worker and the Python scripts against a shared server:
 * {@code java -cp order-processing.jar io.sluice.examples.orders.EmbeddedElasticMq 9324}.
 */
public final class EmbeddedElasticMq implements AutoCloseable {

    /** The region and dummy credentials that an SQS client needs to talk to ElasticMQ (which checks neither). */
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY_ID = "x";
    public static final String SECRET_ACCESS_KEY = "x";

    private static final long STOP_TIMEOUT_SECONDS = 30;

    private final ActorSystem system;
    private final Http.ServerBinding binding;
    private final URI endpoint;

    private EmbeddedElasticMq(ActorSystem system, Http.ServerBinding binding, URI endpoint) {
        this.system = system;
        this.binding = binding;
        this.endpoint = endpoint;
    }

    /** Starts a server on a free port of 127.0.0.1. */
    public static EmbeddedElasticMq start() {
        return start(0);
    }

    /** Starts a server on {@code port} of 127.0.0.1 (0: a free port) and waits until it accepts connections. */
    public static EmbeddedElasticMq start(int port) {
        // close() terminates the actor system; Pekko need not do it from a JVM shutdown hook of its own.
        ActorSystem system = ActorSystem.create("elasticmq", ConfigFactory
                .parseString("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off")
                .withFallback(ConfigFactory.load()));
        try {
            Http.ServerBinding binding = SQSRestServerBuilder.withActorSystem(system)
                    .withInterface("127.0.0.1")
                    .withPort(port)
                    .start()
                    .waitUntilStarted();
            int bound = binding.localAddress().getPort();
            return new EmbeddedElasticMq(system, binding, URI.create("http://127.0.0.1:" + bound));
        } catch (RuntimeException e) {
            terminate(system);
            throw e;
        }
    }

    /** The endpoint to give an SQS client, for example {@code http://127.0.0.1:40123}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Stops the server and waits until it has; open requests are cut off. */
    @Override
    public void close() {
        binding.unbind();
        terminate(system);
    }

    private static void terminate(ActorSystem system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("ElasticMQ did not stop within " + STOP_TIMEOUT_SECONDS + " s: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ElasticMQ at " + endpoint;
    }

    /** Runs a server until Ctrl-C or SIGTERM. The only argument is the port (default 9324; 0 for a free one). */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9324;
        EmbeddedElasticMq server = start(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "elasticmq-shutdown"));
        System.out.println("ElasticMQ listening on " + server.endpoint() + " (Ctrl-C stops it). Clients need:");
        System.out.println("  AWS_ENDPOINT_URL_SQS=" + server.endpoint() + " AWS_REGION=" + REGION
                + " AWS_ACCESS_KEY_ID=" + ACCESS_KEY_ID + " AWS_SECRET_ACCESS_KEY=" + SECRET_ACCESS_KEY);
        stopped.await();
    }
}
