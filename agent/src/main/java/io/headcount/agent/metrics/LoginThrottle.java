package io.headcount.agent.metrics;

import io.headcount.agent.net.IpAddress;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How many wrong credentials the metrics endpoint still checks from one client: 10 at once, then
 * one a second. Past that a client's requests get 429 with their credentials unread, so that a
 * password cannot be guessed at thousands a second; a scraper with the right password never
 * spends any, and a client with wrong ones never holds up another client. A client is an IPv4
 * address or an IPv6 /64 (one host may hold a whole /64). At most {@value #CLIENTS} clients are
 * remembered, the least recently seen forgotten first.
 */
final class LoginThrottle {
    static final int BURST = 10;
    static final int CLIENTS = 4096;
    private static final long NANOS_PER_TRY = TimeUnit.SECONDS.toNanos(1);

    /** Per client: the time at which its bucket would be full again, in nanoTime. */
    private final Map<String, Long> fullAt = new LinkedHashMap<String, Long>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > CLIENTS;
        }
    };

    /** Whether this client's credentials may be checked now. */
    synchronized boolean mayTry(InetAddress client, long nowNanos) {
        Long full = fullAt.get(key(client));
        return full == null || full - nowNanos <= (BURST - 1) * NANOS_PER_TRY;
    }

    /** Spends one of this client's tries on wrong credentials. */
    synchronized void failed(InetAddress client, long nowNanos) {
        String key = key(client);
        Long full = fullAt.get(key);
        long from = full == null || full - nowNanos < 0 ? nowNanos : full;
        fullAt.put(key, from + NANOS_PER_TRY);
    }

    /** A client as the throttle and the server's per-client bounds know it: an IPv4 address, or an IPv6 /64. */
    static String key(InetAddress client) {
        String prefix = IpAddress.visitorPrefix(client.getAddress());
        return prefix == null ? "" : prefix;
    }
}
