package io.headcount.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private static final long SECOND = 1_000_000_000L;
    private final LoginThrottle throttle = new LoginThrottle();

    @Test
    void tenWrongTriesAtOnceThenOneASecond() throws UnknownHostException {
        InetAddress client = InetAddress.getByName("203.0.113.7");
        long now = 5 * SECOND;
        for (int i = 0; i < LoginThrottle.BURST; i++) {
            assertTrue(throttle.mayTry(client, now), "try " + i);
            throttle.failed(client, now);
        }
        assertFalse(throttle.mayTry(client, now));
        assertFalse(throttle.mayTry(client, now + SECOND - 1));
        assertTrue(throttle.mayTry(client, now + SECOND));
        throttle.failed(client, now + SECOND);
        assertFalse(throttle.mayTry(client, now + SECOND));
        // Ten quiet seconds later the whole burst is back.
        for (int i = 0; i < LoginThrottle.BURST; i++) {
            assertTrue(throttle.mayTry(client, now + 11 * SECOND), "try " + i);
            throttle.failed(client, now + 11 * SECOND);
        }
        assertFalse(throttle.mayTry(client, now + 11 * SECOND));
    }

    @Test
    void oneClientsWrongTriesLeaveAnotherAloneButAnIpv6Slash64IsOneClient() throws UnknownHostException {
        InetAddress guesser = InetAddress.getByName("2001:db8:1:2::1");
        for (int i = 0; i < LoginThrottle.BURST; i++) {
            throttle.failed(guesser, 0);
        }
        assertFalse(throttle.mayTry(InetAddress.getByName("2001:db8:1:2:ffff::9"), 0));
        assertTrue(throttle.mayTry(InetAddress.getByName("2001:db8:1:3::1"), 0));
        assertTrue(throttle.mayTry(InetAddress.getByName("203.0.113.7"), 0));
    }

    @Test
    void theLeastRecentlySeenClientIsForgottenPastTheBound() throws UnknownHostException {
        InetAddress first = InetAddress.getByName("10.0.0.1");
        for (int i = 0; i < LoginThrottle.BURST; i++) {
            throttle.failed(first, 0);
        }
        for (int i = 0; i < LoginThrottle.CLIENTS - 1; i++) {
            throttle.failed(InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i}), 0);
        }
        throttle.failed(InetAddress.getByName("10.2.0.1"), 0);
        assertTrue(throttle.mayTry(first, 0));
        // Remembered as long as it is among the most recently seen.
        InetAddress second = InetAddress.getByName("10.2.0.2");
        for (int i = 0; i < LoginThrottle.BURST; i++) {
            throttle.failed(second, 0);
        }
        throttle.failed(InetAddress.getByName("10.2.0.3"), 0);
        assertFalse(throttle.mayTry(second, 0));
    }
}
