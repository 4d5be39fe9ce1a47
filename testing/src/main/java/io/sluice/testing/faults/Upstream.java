package io.sluice.testing.faults;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One client connection's connection to the target server, opened on first use and kept alive between exchanges as
 * the server allows. Not thread safe: one connection's thread uses it.
 */
final class Upstream implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final InetSocketAddress target;
    private final ProxySockets sockets;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    Upstream(InetSocketAddress target, ProxySockets sockets) {
        this.target = target;
        this.sockets = sockets;
    }

    /**
     * Sends {@code request} and reads the whole response. A kept-alive connection that the server closed while idle
     * (no byte of a response came back) is replaced and the request sent again, once.
     */
    HttpMessage exchange(HttpMessage request) throws IOException {
        boolean reused = socket != null;
        try {
            return exchangeOnce(request);
        } catch (HttpMessage.NoResponseException e) {
            if (!reused) {
                throw e;
            }
            return exchangeOnce(request);
        }
    }

    private HttpMessage exchangeOnce(HttpMessage request) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            request.writeTo(out, false);
            HttpMessage response = HttpMessage.readResponse(in, request.method().equals("HEAD"));
            if (!response.keepAlive()) {
                close();
            }
            return response;
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket opened = new Socket();
        if (!sockets.track(opened)) {
            throw new IOException("the proxy is closed");
        }
        try {
            opened.setTcpNoDelay(true);
            opened.connect(target, CONNECT_TIMEOUT_MILLIS);
            in = new BufferedInputStream(opened.getInputStream());
            out = new BufferedOutputStream(opened.getOutputStream());
            socket = opened;
        } catch (IOException e) {
            sockets.forget(opened);
            ProxySockets.closeQuietly(opened);
            throw e;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            sockets.forget(socket);
            ProxySockets.closeQuietly(socket);
            socket = null;
        }
    }
}
