package io.sluice.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class JsonLinesTest {

    private static JsonLines.Parsed read(JsonLines reader, String text) throws IOException {
        return reader.read(new BufferedReader(new StringReader(text)));
    }

    @Test
    void eachLineThatIsNotBlankIsOneMessageSentAsItIs() throws IOException {
        JsonLines.Parsed parsed = read(new JsonLines(null, null, null), "{\"a\": 1}\n\n  \n[1, 2]\r\n42\n");

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.lines()).extracting(JsonLines.Line::number).containsExactly(1, 4, 5);
        assertThat(parsed.lines()).extracting(JsonLines.Line::body).containsExactly("{\"a\": 1}", "[1, 2]", "42");
        assertThat(parsed.lines().get(0).message().groupId()).isNull();
    }

    @Test
    void aLineThatIsNotOneJsonValueIsAProblemNamingItsNumber() throws IOException {
        JsonLines.Parsed parsed = read(new JsonLines(null, null, null), "{\"a\": 1}\n{\"a\": \n{} {}\nnope\n");

        assertThat(parsed.lines()).hasSize(1);
        assertThat(parsed.problems()).hasSize(3);
        assertThat(parsed.problems().get(0)).startsWith("line 2: not JSON: ");
        assertThat(parsed.problems().get(1)).startsWith("line 3: not JSON: ").contains("Trailing token");
        assertThat(parsed.problems().get(2)).startsWith("line 4: not JSON: ");
    }

    @Test
    void groupAndDeduplicationIdComeFromTopLevelFieldsWithTheGroupIdAsDefault() throws IOException {
        JsonLines reader = new JsonLines("nobody", "customer", "tx");

        JsonLines.Parsed parsed = read(reader, "{\"customer\": \"c-1\", \"tx\": \"t-1\"}\n"
                + "{\"customer\": 7, \"tx\": 8}\n{\"tx\": \"t-3\"}\n{\"customer\": \"c-4\"}\n"
                + "{\"customer\": {\"id\": 1}, \"tx\": \"t-5\"}\n");

        assertThat(parsed.lines()).extracting(JsonLines.Line::groupId).containsExactly("c-1", "7", "nobody", "nobody");
        assertThat(parsed.lines()).extracting(JsonLines.Line::deduplicationId)
                .containsExactly("t-1", "8", "t-3", "t-5");
        assertThat(parsed.problems()).containsExactly(
                "line 4: no top-level field 'tx' (a string or number) for the deduplication id");
        assertThat(parsed.lines().get(0).message().groupId()).isEqualTo("c-1");
        assertThat(parsed.lines().get(0).message().deduplicationId()).isEqualTo("t-1");
    }

    @Test
    void aGroupFieldWithoutADefaultIsRequiredOfEveryLine() throws IOException {
        JsonLines.Parsed parsed = read(new JsonLines(null, "customer", null), "{\"customer\": \"c-1\"}\n[1]\n\"x\"\n");

        assertThat(parsed.lines()).hasSize(1);
        assertThat(parsed.problems()).containsExactly(
                "line 2: no top-level field 'customer' (a string or number) for the message group",
                "line 3: no top-level field 'customer' (a string or number) for the message group");
    }

    @Test
    void aGroupIdAloneGroupsEveryMessage() throws IOException {
        assertThat(read(new JsonLines("all", null, null), "{}\n[]\n").lines()).extracting(JsonLines.Line::groupId)
                .containsExactly("all", "all");
    }
}
