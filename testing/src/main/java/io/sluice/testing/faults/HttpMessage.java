package io.sluice.testing.faults;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP/1.1 request or response as the proxy handles it: start line, headers in order, and the whole body. Reads
 * bodies framed by {@code Content-Length}, by chunked transfer coding (trailers dropped) or, for a response, by the
 * end of the connection; writes them with a {@code Content-Length}, so that the proxy may change a body. Answers {@code
 * Expect: 100-continue} itself and skips a server's interim (1xx) responses. Immutable.
 */
final class HttpMessage {

    /** EOF before the first byte of a response: the server closed an idle connection without reading the request. */
    static final class NoResponseException extends EOFException {
        NoResponseException() {
            super("the server closed the connection without answering");
        }
    }

    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 256;
    private static final int MAX_BODY = 64 * 1024 * 1024;
    /** Hop-by-hop headers (RFC 9110 7.6.1) and the framing the proxy writes itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "expect", "content-length");

    private final String startLine;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    /** A response that may carry no body (to HEAD, 1xx, 204, 304): its headers are passed on as they are. */
    private final boolean bodyless;
    /** A response whose body ended with the connection: that connection cannot carry another exchange. */
    private final boolean closeDelimited;

    private HttpMessage(String startLine, List<Map.Entry<String, String>> headers, byte[] body, boolean bodyless,
            boolean closeDelimited) {
        this.startLine = startLine;
        this.headers = List.copyOf(headers);
        this.body = body;
        this.bodyless = bodyless;
        this.closeDelimited = closeDelimited;
    }

    /** A response made by the proxy itself. */
    static HttpMessage response(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
        return new HttpMessage("HTTP/1.1 " + status + " " + reason, headers, body, false, false);
    }

    /**
     * Reads a request, or returns {@code null} when the connection ends cleanly before one starts. Writes {@code 100
     * Continue} to {@code interim} when the request expects it before sending its body.
     */
    static HttpMessage readRequest(InputStream in, OutputStream interim) throws IOException {
        String startLine = readLine(in, true);
        while (startLine != null && startLine.isEmpty()) { // RFC 9112 2.2: ignore empty lines before a request
            startLine = readLine(in, true);
        }
        if (startLine == null) {
            return null;
        }
        if (startLine.split(" ").length != 3) {
            throw new IOException("not an HTTP request line: " + abbreviate(startLine));
        }
        List<Map.Entry<String, String>> headers = readHeaders(in);
        if ("100-continue".equalsIgnoreCase(header(headers, "Expect"))) {
            interim.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            interim.flush();
        }
        byte[] body = isChunked(headers) ? readChunked(in) : readFixed(in, contentLength(headers, 0));
        return new HttpMessage(startLine, headers, body, false, false);
    }

    /** Reads the response to a request (skipping interim 1xx responses); {@code head}: it answers a HEAD request. */
    static HttpMessage readResponse(InputStream in, boolean head) throws IOException {
        while (true) {
            String startLine = readLine(in, true);
            if (startLine == null) {
                throw new NoResponseException();
            }
            int status = status(startLine);
            List<Map.Entry<String, String>> headers = readHeaders(in);
            if (status >= 100 && status < 200 && status != 101) {
                continue;
            }
            if (head || status < 200 || status == 204 || status == 304) {
                return new HttpMessage(startLine, headers, new byte[0], true, false);
            }
            if (isChunked(headers)) {
                return new HttpMessage(startLine, headers, readChunked(in), false, false);
            }
            long length = contentLength(headers, -1);
            return length >= 0 ? new HttpMessage(startLine, headers, readFixed(in, length), false, false)
                    : new HttpMessage(startLine, headers, readToEnd(in), false, true);
        }
    }

    /** Writes this message with a {@code Content-Length}; {@code close} adds {@code Connection: close}. */
    void writeTo(OutputStream out, boolean close) throws IOException {
        StringBuilder head = new StringBuilder(startLine).append("\r\n");
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            boolean keep = bodyless ? !name.equals("connection") && !name.equals("keep-alive")
                    : !NOT_FORWARDED.contains(name);
            if (keep) {
                head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
            }
        }
        if (!bodyless) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        if (close) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** This message with another body. */
    HttpMessage withBody(byte[] newBody) {
        return new HttpMessage(startLine, headers, newBody, bodyless, closeDelimited);
    }

    /** The first value of header {@code name} (any case), or {@code null}. */
    String header(String name) {
        return header(headers, name);
    }

    byte[] body() {
        return body;
    }

    /** The request's method ({@code POST}), or a response's version. */
    String method() {
        return startLine.substring(0, startLine.indexOf(' '));
    }

    /** A response's status code. */
    int status() {
        return status(startLine);
    }

    /** Whether the connection may carry another exchange after this message, as its version and headers say. */
    boolean keepAlive() {
        String connection = header("Connection");
        boolean http10 = startLine.startsWith("HTTP/1.0") || startLine.endsWith("HTTP/1.0");
        if (closeDelimited || (connection != null && connection.toLowerCase(Locale.ROOT).contains("close"))) {
            return false;
        }
        return !http10 || (connection != null && connection.toLowerCase(Locale.ROOT).contains("keep-alive"));
    }

    @Override
    public String toString() {
        return startLine + " (" + body.length + " bytes)";
    }

    // ---- reading ----

    private static List<Map.Entry<String, String>> readHeaders(InputStream in) throws IOException {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line = readLine(in, false); !line.isEmpty(); line = readLine(in, false)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("not an HTTP header line: " + abbreviate(line));
            }
            if (headers.size() == MAX_HEADERS) {
                throw new IOException("more than " + MAX_HEADERS + " headers");
            }
            headers.add(Map.entry(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        return headers;
    }

    private static String header(List<Map.Entry<String, String>> headers, String name) {
        return headers.stream().filter(header -> header.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private static boolean isChunked(List<Map.Entry<String, String>> headers) {
        String coding = header(headers, "Transfer-Encoding");
        return coding != null && coding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    private static long contentLength(List<Map.Entry<String, String>> headers, long absent) throws IOException {
        String value = header(headers, "Content-Length");
        if (value == null) {
            return absent;
        }
        try {
            long length = Long.parseLong(value.trim());
            if (length < 0 || length > MAX_BODY) {
                throw new IOException("Content-Length out of range: " + value);
            }
            return length;
        } catch (NumberFormatException e) {
            throw new IOException("not a Content-Length: " + abbreviate(value), e);
        }
    }

    private static int status(String statusLine) {
        String[] parts = statusLine.split(" ", 3);
        try {
            return Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** A line without its CRLF (or LF); {@code null} at a clean EOF before its first byte when {@code eofAllowed}. */
    private static String readLine(InputStream in, boolean eofAllowed) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int next = in.read();
            if (next == -1) {
                if (eofAllowed && line.size() == 0) {
                    return null;
                }
                throw new EOFException("the connection ended within a line");
            }
            if (next == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() == MAX_LINE) {
                throw new IOException("a line longer than " + MAX_LINE + " bytes");
            }
            line.write(next);
        }
    }

    private static byte[] readFixed(InputStream in, long length) throws IOException {
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new EOFException("the connection ended after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in, false);
            int extension = sizeLine.indexOf(';');
            String size = (extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).trim();
            long length;
            try {
                length = Long.parseLong(size, 16);
            } catch (NumberFormatException e) {
                throw new IOException("not a chunk size: " + abbreviate(sizeLine), e);
            }
            if (length < 0 || body.size() + length > MAX_BODY) {
                throw new IOException("a chunked body larger than " + MAX_BODY + " bytes");
            }
            if (length == 0) {
                while (!readLine(in, false).isEmpty()) { // trailers: dropped
                }
                return body.toByteArray();
            }
            body.write(readFixed(in, length));
            if (!readLine(in, false).isEmpty()) {
                throw new IOException("a chunk not followed by CRLF");
            }
        }
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
            if (body.size() + read > MAX_BODY) {
                throw new IOException("a body larger than " + MAX_BODY + " bytes");
            }
            body.write(buffer, 0, read);
        }
        return body.toByteArray();
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
