package io.headcount.agent.metrics;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a request head (up to the empty line that ends it) and not a byte more, within a size cap. */
final class RequestHeadReader {
    /** Thrown when the head is longer than the cap: answered with 431. */
    static final class HeadTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        HeadTooLargeException(int limit) {
            super("request head longer than " + limit + " bytes");
        }
    }

    private RequestHeadReader() {
    }

    /**
     * @param in the connection's input, buffered by the caller (bytes are read one at a time)
     * @param limit the most bytes a head may have
     * @return the head's bytes as ISO-8859-1 text, ending with its empty line
     * @throws EOFException when the client closed before the head was complete
     * @throws HeadTooLargeException past {@code limit} bytes
     */
    static String read(InputStream in, int limit) throws IOException {
        byte[] head = new byte[Math.min(limit, 1024)];
        int length = 0;
        boolean content = false;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(length == 0 ? "connection closed before a request" : "request head cut short");
            }
            if (length == limit) {
                throw new HeadTooLargeException(limit);
            }
            if (length == head.length) {
                byte[] larger = new byte[Math.min(limit, head.length * 2)];
                System.arraycopy(head, 0, larger, 0, length);
                head = larger;
            }
            head[length++] = (byte) b;
            if (b != '\n') {
                content |= b != '\r';
            } else if (content && endsWithEmptyLine(head, length)) {
                return new String(head, 0, length, StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** The head ends at LF LF or LF CR LF; empty lines before the request line do not end it. */
    private static boolean endsWithEmptyLine(byte[] head, int length) {
        return (length >= 2 && head[length - 2] == '\n')
                || (length >= 3 && head[length - 2] == '\r' && head[length - 3] == '\n');
    }
}
