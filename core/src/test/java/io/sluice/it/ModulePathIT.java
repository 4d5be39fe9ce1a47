package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code module-info.java} checked where it matters, on the module path: a JVM started with {@code io.sluice.core} and
 * its runtime dependencies as modules (the build writes their list to {@code target/runtime-classpath.txt}) and the
 * application ({@code ModulePathSmoke}) on the class path, draining a message in memory and through the AWS SDK on an
 * embedded ElasticMQ. The other tests run on the class path, as most applications run Sluice.
 */
class ModulePathIT {

    @Test
    void theCoreModuleResolvesExportsOnlyItsApiAndRunsAWorker() throws IOException, InterruptedException {
        Path target = Path.of("target");
        String dependencies = Files.readString(target.resolve("runtime-classpath.txt"), StandardCharsets.UTF_8).trim();
        String modulePath = target.resolve("classes") + File.pathSeparator + dependencies;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path output = Files.createTempFile("module-path-smoke", ".log");
        boolean exited;
        Process process;
        try (ElasticMqServer server = ElasticMqServer.start()) {
            process = new ProcessBuilder(List.of(java, "--module-path", modulePath, "--add-modules", "io.sluice.core",
                    "-cp", target.resolve("test-classes").toString(), "io.sluice.modulepath.ModulePathSmoke",
                    server.endpoint().toString()))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            exited = process.waitFor(90, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
            }
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        Files.deleteIfExists(output);
        assertThat(exited).as("the smoke JVM exited within 90 s; its output:\n" + log).isTrue();
        assertThat(process.exitValue()).as("exit status; output:\n" + log).isZero();
        assertThat(log).contains("module path smoke: ok");
    }
}
