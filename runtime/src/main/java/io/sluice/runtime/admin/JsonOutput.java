package io.sluice.runtime.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.SluiceJson;
import java.io.PrintWriter;

/** Writes what {@code --json} asks for: indented JSON, times as ISO-8601 text. */
final class JsonOutput {

    private static final ObjectMapper MAPPER = SluiceJson.defaultMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private JsonOutput() {
    }

    static void print(PrintWriter out, Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new AdminException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
