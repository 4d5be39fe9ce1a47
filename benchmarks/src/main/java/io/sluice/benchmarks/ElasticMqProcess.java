package io.sluice.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * An ElasticMQ server ({@code org.elasticmq.server.Main} from Maven Central) in a JVM of its own, on a free loopback
 * port, logging only warnings to a file. The consumer under test never shares its JVM.
 */
final class ElasticMqProcess implements AutoCloseable {

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private ElasticMqProcess(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    static ElasticMqProcess start(String java, String classpath, String heap, Path workDir) throws Exception {
        Files.createDirectories(workDir);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = workDir.resolve("elasticmq.conf");
        Files.writeString(config, """
                include classpath("application.conf")
                rest-sqs { enabled = true, bind-port = %d, bind-hostname = "127.0.0.1", sqs-limits = strict }
                node-address { protocol = "http", host = "127.0.0.1", port = %d, context-path = "" }
                pekko.loglevel = "WARNING"
                """.formatted(port, port));
        Path logback = workDir.resolve("elasticmq-logback.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        Path log = workDir.resolve("elasticmq.log");
        Process process = new ProcessBuilder(List.of(java, "-Xms" + heap, "-Xmx" + heap,
                "-Dconfig.file=" + config, "-Dlogback.configurationFile=" + logback,
                "-cp", classpath, "org.elasticmq.server.Main"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ElasticMqProcess server = new ElasticMqProcess(process, URI.create("http://127.0.0.1:" + port), log);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        server.awaitReady(Duration.ofSeconds(90));
        return server;
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SqsAsyncClient client = Clients.create(endpoint, null)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("ElasticMQ exited with " + process.exitValue() + "; see " + log);
                }
                try {
                    client.listQueues().get(2, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("ElasticMQ did not answer within " + timeout + "; see " + log, e);
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    URI endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                // ElasticMQ holds abandoned long polls open until they end; nothing here needs a graceful stop.
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }
}
