package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The bounds and refusals of the default mapper: what a hostile or broken body cannot do. */
class SluiceJsonTest {

    private final ObjectMapper mapper = SluiceJson.defaultMapper();

    record Order(String orderId, int quantity) {
    }

    /** A class a gadget payload would want instantiated; records whether it ever was. */
    public static final class Gadget {
        static final AtomicBoolean CREATED = new AtomicBoolean();

        public Gadget() {
            CREATED.set(true);
        }
    }

    public static final class Envelope {
        @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
        public Object payload;
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(value = Card.class, name = "card")})
    interface Payment {
    }

    record Card(String last4) implements Payment {
    }

    @Test
    void nestingDeeperThanTheBoundIsRefusedWithoutExhaustingTheStack() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);

        assertThatThrownBy(() -> mapper.readTree(deep))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("nesting depth")
                .hasMessageContaining(Integer.toString(SluiceJson.MAX_NESTING_DEPTH));
    }

    @Test
    void aStringAsLargeAsAnSqsBodyIsRead() throws Exception {
        String large = "x".repeat(1_000_000);

        assertThat(mapper.readTree("{\"note\":\"" + large + "\"}").get("note").asText()).hasSize(1_000_000);
    }

    @Test
    void aStringLargerThanAnSqsBodyIsRefused() {
        String tooLarge = "{\"note\":\"" + "x".repeat((int) SluiceJson.MAX_DOCUMENT_LENGTH + 1) + "\"}";

        assertThatThrownBy(() -> mapper.readTree(tooLarge)).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("String value length");
    }

    @Test
    void aFieldGivenTwiceIsRefused() {
        assertThatThrownBy(() -> mapper.readValue("{\"orderId\":\"a\",\"orderId\":\"b\",\"quantity\":1}", Order.class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("Duplicate field 'orderId'");
    }

    @Test
    void aNumberLongerThanTheBoundIsRefusedAndAHugeExponentStaysCheap() throws Exception {
        assertThatThrownBy(() -> mapper.readTree("{\"n\":" + "9".repeat(SluiceJson.MAX_NUMBER_LENGTH + 1) + "}"))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("Number value length");

        JsonNode huge = mapper.readTree("{\"n\":1e999999999}");
        assertThat(huge.get("n").isNumber()).isTrue();
        assertThatThrownBy(() -> mapper.readValue("{\"orderId\":\"a\",\"quantity\":1e999999999}", Order.class))
                .isInstanceOf(JsonProcessingException.class);
        assertThat(mapper.readValue("{\"n\":1e3}", Map.class).get("n")).isIn(1000.0, new BigDecimal("1E+3"));
    }

    @Test
    void aClassNameInTheBodyIsNeverResolvedSoNoGadgetIsBuilt() {
        Gadget.CREATED.set(false);
        String gadget = "{\"payload\":[\"" + Gadget.class.getName() + "\",{}]}";

        assertThatThrownBy(() -> mapper.readValue(gadget, Envelope.class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("PolymorphicTypeValidator");
        assertThat(Gadget.CREATED).isFalse();
    }

    @Test
    void theClassicGadgetShapesBindAsPlainDataNeverAsClasses() throws Exception {
        String springGadget = "[\"org.springframework.context.support.ClassPathXmlApplicationContext\","
                + "\"http://127.0.0.1:1/evil.xml\"]";

        assertThat(mapper.readValue(springGadget, Object.class)).isEqualTo(List.of(
                "org.springframework.context.support.ClassPathXmlApplicationContext", "http://127.0.0.1:1/evil.xml"));
        assertThat(mapper.readValue("{\"@class\":\"" + Gadget.class.getName() + "\"}", Object.class))
                .isEqualTo(Map.of("@class", Gadget.class.getName()));
        assertThat(Gadget.CREATED).isFalse();
    }

    @Test
    void namedSubtypesStillWork() throws Exception {
        assertThat(mapper.readValue("{\"type\":\"card\",\"last4\":\"4242\"}", Payment.class))
                .isEqualTo(new Card("4242"));
    }
}
