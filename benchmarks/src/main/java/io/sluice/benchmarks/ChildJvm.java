package io.sluice.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a measuring JVM (a consumer) as a child process and reads its result: the JSON on its last {@code RESULT } line
 * of standard output; its standard error goes to ours. A child that printed no result yields {@code {"error": ...}}.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    static JsonNode run(List<String> command, ObjectMapper json) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        JsonNode result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    result = json.readTree(line.substring("RESULT ".length()));
                }
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (result == null) {
            result = json.createObjectNode().put("error", "the consumer JVM printed no result ("
                    + (process.isAlive() ? "still running" : "exit " + process.exitValue()) + ")");
        }
        return result;
    }
}
