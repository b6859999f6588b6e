package io.headcount.agent.metrics;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One connection to the metrics endpoint, served on its own worker thread: TLS handshake (when
 * configured), one request, one response, close. Every path ends in closing the socket. The
 * server's sweep (or an eviction) closes the plain socket under it when it overruns its deadline,
 * which also ends a write blocked on a client that does not read.
 */
final class MetricsConnection implements Runnable {
    /** The peer closed (or a TLS alert reached it) after the head was sent; drain at most this much. */
    private static final int DRAIN_BYTES = 64 * 1024;
    /**
     * The longest the drain takes in all, not only between two reads: a client that trickles a byte
     * now and then after its answer would otherwise hold its connection to the exchange deadline.
     */
    private static final int DRAIN_TIMEOUT_MILLIS = 1000;

    private final Socket socket;
    private final MetricsServer server;
    private final long acceptedNanos;
    private volatile boolean headComplete;
    /** Set once the answer is written: the connection only drains what the client still sends. */
    private volatile boolean answered;
    /** Why the server closed this connection under its thread, or null. */
    private volatile String closedBecause;
    /** The client as the server's per-client bounds know it: an IPv4 address or an IPv6 /64. */
    private final String client;
    /** Whether the client's request is under way: from its complete head until its answer is written; its thread only. */
    private boolean exchanging;

    MetricsConnection(Socket socket, MetricsServer server) {
        this.socket = socket;
        this.server = server;
        this.acceptedNanos = System.nanoTime();
        this.client = LoginThrottle.key(socket.getInetAddress());
    }

    String client() {
        return client;
    }

    long acceptedNanos() {
        return acceptedNanos;
    }

    /** True once the request head was read. */
    boolean headComplete() {
        return headComplete;
    }

    /**
     * Whether the server may close this connection to make room for a new one: one still sending
     * its head, or one already answered and only draining. One between the two is about to be
     * answered, and is left to its deadlines.
     */
    boolean evictable() {
        return !headComplete || answered;
    }

    /** Closes the socket from another thread; the connection's own thread then ends. */
    void closeBecause(String reason) {
        closedBecause = reason;
        closeQuietly(socket);
    }

    @Override
    public void run() {
        MetricsServer.Limits limits = server.limits();
        boolean headStarted = false;
        try {
            socket.setSoTimeout(limits.readTimeoutMillis);
            socket.setTcpNoDelay(true);
            Socket io = socket;
            SSLSocketFactory tls = server.tls();
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.createSocket(socket, null, true);
                ssl.setUseClientMode(false);
                ssl.startHandshake();
                io = ssl;
            }
            InputStream in = new BufferedInputStream(io.getInputStream(), 1024);
            in.mark(1);
            headStarted = in.read() >= 0;
            in.reset();
            RequestHead head;
            HttpResponse response;
            try {
                head = RequestHead.parse(RequestHeadReader.read(in, limits.maxHeadBytes));
                headComplete = true;
                exchanging = true;
                Socket connection = io;
                if (server.exchangeStarted(client)) {
                    response = server.routes().respond(head, socket.getInetAddress(), remainingMillis(limits),
                            () -> clientGone(connection, in, limits.readTimeoutMillis));
                } else {
                    server.errors().record("too many requests at once from one client; answered 429", null);
                    response = HttpResponse.status(429).header("Retry-After", "1");
                }
            } catch (RequestHeadReader.HeadTooLargeException e) {
                head = null;
                headComplete = true;
                response = HttpResponse.status(431);
            }
            try (HttpResponse answer = response) {
                answer.writeTo(io.getOutputStream(), head != null && head.method().equals("HEAD"));
            }
            if (response.statusCode() == 503) {
                server.errors().record("no render free within the deadline", null);
            }
            answered = true;
            // What the client sends after its answer costs no place among its requests under way.
            endExchange();
            finish(io, in);
        } catch (EOFException e) {
            if (headStarted) {
                record("request cut short", e);
            }
        } catch (ScrapeRenderer.ClientGoneException e) {
            record("client gone before its answer", null);
        } catch (SocketTimeoutException e) {
            record("no request within " + limits.readTimeoutMillis + " ms", e);
        } catch (SSLException e) {
            record("TLS handshake or record failed", e);
        } catch (IOException | RuntimeException e) {
            record("connection failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Error e) {
            // An OutOfMemoryError while rendering must not end this worker with a stack trace on the
            // app's standard error; the render's memory is released with this thread's frames.
            record("render failed", e);
        } finally {
            closeQuietly(socket);
            endExchange();
            server.ended(this);
        }
    }

    private void endExchange() {
        if (exchanging) {
            exchanging = false;
            server.exchangeEnded(client);
        }
    }

    /**
     * True when a plain connection has been closed or reset by its client: a read that waits 1 ms
     * finds the end of the stream or an error. A client that aborts its scrape then costs no render.
     * A client that half-closes after its request is taken as gone too, as nginx takes it (499);
     * scrapers do not do that. TLS connections are not asked (a read timeout inside a TLS record is
     * not worth the risk); they are rendered.
     */
    private static boolean clientGone(Socket io, InputStream in, int readTimeoutMillis) {
        if (io instanceof SSLSocket) {
            return false;
        }
        try {
            io.setSoTimeout(1);
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            try {
                io.setSoTimeout(readTimeoutMillis);
            } catch (IOException e) {
                // The write that follows will fail and be counted.
            }
        }
    }

    private void record(String what, Throwable cause) {
        String reason = closedBecause;
        server.errors().record(reason != null ? reason : what, reason != null ? null : cause);
    }

    private long remainingMillis(MetricsServer.Limits limits) {
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acceptedNanos);
        return Math.max(0, limits.exchangeMillis - elapsed);
    }

    /**
     * Half-closes and reads what the client still sends (a body the endpoint ignored) before the
     * close, so that the close does not reset the connection and destroy the answer in flight.
     */
    private static void finish(Socket io, InputStream in) throws IOException {
        if (io instanceof SSLSocket) {
            io.close();
            return;
        }
        io.shutdownOutput();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MILLIS);
        byte[] discard = new byte[4096];
        int drained = 0;
        try {
            long left;
            int read = 0;
            while (drained < DRAIN_BYTES && read >= 0
                    && (left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) > 0) {
                io.setSoTimeout((int) left);
                read = in.read(discard);
                drained += Math.max(read, 0);
            }
        } catch (IOException e) {
            // The answer is out; a client that neither reads nor closes is simply closed.
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that is left to do.
        }
    }
}
