package io.sluice.testing.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpMessageTest {

    private static InputStream wire(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String written(HttpMessage message, boolean close) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out, close);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsKeptAliveRequestsOneAfterAnotherAndWritesThemWithTheirLength() throws IOException {
        InputStream in = wire("POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: AmazonSQS.ReceiveMessage\r\n"
                + "Content-Length: 4\r\n\r\n{\"a\"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2;ext=1\r\n{}\r\n0\r\nTrailer: x\r\n\r\n");
        ByteArrayOutputStream interim = new ByteArrayOutputStream();

        HttpMessage first = HttpMessage.readRequest(in, interim);
        HttpMessage second = HttpMessage.readRequest(in, interim);

        assertThat(first.body()).asString(StandardCharsets.UTF_8).isEqualTo("{\"a\"");
        assertThat(SqsWire.action(first)).contains(SqsAction.RECEIVE_MESSAGE);
        assertThat(first.keepAlive()).isTrue();
        assertThat(second.body()).asString(StandardCharsets.UTF_8).isEqualTo("{}");
        assertThat(written(second, false)).isEqualTo("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(HttpMessage.readRequest(in, interim)).as("clean end of the connection").isNull();
        assertThat(interim.size()).isZero();
    }

    @Test
    void answersExpectContinueBeforeReadingTheBody() throws IOException {
        ByteArrayOutputStream interim = new ByteArrayOutputStream();

        HttpMessage request = HttpMessage.readRequest(wire("POST / HTTP/1.1\r\nExpect: 100-continue\r\n"
                + "Connection: close\r\nContent-Length: 2\r\n\r\n{}"), interim);

        assertThat(interim.toString(StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(request.keepAlive()).isFalse();
        assertThat(written(request, false)).doesNotContain("Expect", "Connection");
    }

    @Test
    void readsChunkedAndCloseDelimitedResponsesAndSkipsInterimOnes() throws IOException {
        HttpMessage chunked = HttpMessage.readResponse(wire("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"
                + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n3\r\n{\"a\r\n3\r\n\":1\r\n1\r\n}"
                + "\r\n0\r\n\r\n"), false);
        HttpMessage toTheEnd = HttpMessage.readResponse(wire("HTTP/1.0 200 OK\r\n\r\nall of it"), false);
        HttpMessage noContent = HttpMessage.readResponse(wire("HTTP/1.1 204 No Content\r\nX: y\r\n\r\n"), false);

        assertThat(chunked.status()).isEqualTo(200);
        assertThat(written(chunked, true)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Content-Length: 7\r\nConnection: close\r\n\r\n{\"a\":1}");
        assertThat(toTheEnd.body()).asString(StandardCharsets.UTF_8).isEqualTo("all of it");
        assertThat(toTheEnd.keepAlive()).isFalse();
        assertThat(written(noContent, false)).isEqualTo("HTTP/1.1 204 No Content\r\nX: y\r\n\r\n");
    }

    @Test
    void aTruncatedOrMalformedMessageFailsAndAnAbsentResponseSaysSo() {
        assertThatThrownBy(() -> HttpMessage.readResponse(wire(""), false))
                .isInstanceOf(HttpMessage.NoResponseException.class);
        assertThatThrownBy(() -> HttpMessage.readResponse(wire("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort"),
                false)).hasMessage("the connection ended after 5 of 9 bytes");
        assertThatThrownBy(() -> HttpMessage.readRequest(wire("GARBAGE\r\n\r\n"), new ByteArrayOutputStream()))
                .hasMessage("not an HTTP request line: GARBAGE");
        assertThatThrownBy(() -> HttpMessage.readRequest(wire("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\n"), new ByteArrayOutputStream())).hasMessage("not a chunk size: zz");
    }
}
