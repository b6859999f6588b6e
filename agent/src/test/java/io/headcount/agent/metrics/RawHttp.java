package io.headcount.agent.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** A client that sends exact bytes and reads the whole answer until the server closes: no HTTP library in between. */
final class RawHttp {
    /** What came back: a status, or -1 when the server closed (or reset) without an answer. */
    static final class Answer {
        final int status;
        final Map<String, String> headers;
        final byte[] body;

        Answer(int status, Map<String, String> headers, byte[] body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {
    }

    static Answer get(int port, String path) throws IOException {
        return send(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }

    static Answer send(int port, String request) throws IOException {
        return send(() -> plain(port), request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Socket plain(int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            return socket;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends the bytes on a new socket and reads until the server closes, for at most 10 seconds. */
    static Answer send(Supplier<Socket> connect, byte[] request) throws IOException {
        try (Socket socket = connect.get()) {
            socket.setSoTimeout(10_000);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may answer (431) and close before the client has sent everything.
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[65536];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    received.write(buffer, 0, read);
                }
            } catch (java.net.SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                // A reset after the answer, or instead of one.
            }
            return parse(received.toByteArray());
        }
    }

    static Answer parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || headEnd < 0) {
            return new Answer(-1, Map.of(), bytes);
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, headEnd + 4, bytes.length);
        return new Answer(Integer.parseInt(lines[0].substring(9, 12)), headers, body);
    }
}
