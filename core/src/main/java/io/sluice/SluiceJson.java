package io.sluice;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The JSON mapping Sluice binds message bodies with unless the application supplies its own {@link ObjectMapper}. */
public final class SluiceJson {

    private SluiceJson() {
    }

    /**
     * A new mapper as Sluice configures it: Java time and {@code Optional} support, and unknown properties ignored so
     * that producers can add fields without breaking consumers.
     */
    public static ObjectMapper defaultMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }
}
