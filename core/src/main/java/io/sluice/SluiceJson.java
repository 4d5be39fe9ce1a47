package io.sluice;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON mapping Sluice binds message bodies with unless the application supplies its own {@link ObjectMapper}.
 *
 * <p>A message body is input from whoever can send to the queue, so the mapper reads it within set bounds (Jackson's
 * {@link StreamReadConstraints}), each chosen for SQS, whose bodies are at most 1 MiB:
 * <ul>
 *   <li>strings of at most {@value #MAX_DOCUMENT_LENGTH} characters, documents of at most {@value #MAX_TOKENS} tokens,
 *   and, read from a stream, of at most {@value #MAX_DOCUMENT_LENGTH} characters: nothing larger can be an SQS body
 *   (a body given as a {@code String} is as large as SQS let it be);</li>
 *   <li>nesting at most {@value #MAX_NESTING_DEPTH} deep (Jackson's default is 500; real messages nest a few levels, and
 *   a deeper document is refused before it costs stack or heap);</li>
 *   <li>numbers of at most {@value #MAX_NUMBER_LENGTH} digits (Jackson's default);</li>
 *   <li>a field given twice in one object is refused ({@code STRICT_DUPLICATE_DETECTION}): which of two values counts
 *   must not depend on the parser (Python and Jackson keep the last, others the first);</li>
 *   <li>no polymorphic typing by class name, ever: the validator refuses every {@code @JsonTypeInfo(use = CLASS)}
 *   subtype (named subtypes, {@code Id.NAME} with {@code @JsonSubTypes}, work as usual), and default typing is off.</li>
 * </ul>
 * A body over a bound fails binding, naming the bound; the message is poison and goes to the dead-letter queue with the
 * reason, like any body that cannot be bound.
 */
public final class SluiceJson {

    /** The most characters of a body's JSON document, and of one string in it: 1 MiB, SQS's largest body. */
    public static final long MAX_DOCUMENT_LENGTH = 1_048_576;
    /** The most tokens of one body. */
    public static final long MAX_TOKENS = 1_048_576;
    /** The deepest nesting of objects and arrays. */
    public static final int MAX_NESTING_DEPTH = 200;
    /** The most digits of one number. */
    public static final int MAX_NUMBER_LENGTH = 1000;

    private SluiceJson() {
    }

    /**
     * A new mapper as Sluice configures it: Java time and {@code Optional} support, unknown properties ignored so that
     * producers can add fields without breaking consumers, and the reading bounds above.
     */
    public static ObjectMapper defaultMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                        .maxTokenCount(MAX_TOKENS)
                        .maxStringLength((int) MAX_DOCUMENT_LENGTH)
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
                .polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build()) // allows no class name
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }
}
