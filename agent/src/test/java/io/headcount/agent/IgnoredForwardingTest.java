package io.headcount.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IgnoredForwardingTest {
    private static final String LINE_FOR_203_0_113 = "ignored X-Forwarded-For headers from a peer in "
            + "203.0.113.0/24, which is outside trusted-proxies: such requests' visitors are counted by the peer's"
            + " address. If a proxy or load balancer there forwards requests to this app, add its addresses to the"
            + " setting trusted-proxies; headcount_forwarded_ignored_total counts these requests"
            + " (this line repeats at most once an hour)";

    private final AtomicLong now = new AtomicLong(5_000);
    private final List<String> lines = new ArrayList<>();
    private final IgnoredForwarding ignored = new IgnoredForwarding("X-Forwarded-For", now::get, lines::add);

    @Test
    void countsEveryRequestAndLogsTheNetworkOnceAnHour() {
        ignored.record(new byte[] {(byte) 203, 0, 113, 5});
        ignored.record(new byte[] {(byte) 203, 0, 113, 6});
        now.addAndGet(TimeUnit.MINUTES.toNanos(59));
        ignored.record(new byte[] {(byte) 198, 51, 100, 1});

        assertEquals(3, ignored.count());
        assertEquals(List.of(LINE_FOR_203_0_113), lines);

        now.addAndGet(TimeUnit.MINUTES.toNanos(1));
        ignored.record(new byte[] {(byte) 203, 0, 113, (byte) 200});
        assertEquals(4, ignored.count());
        assertEquals(List.of(LINE_FOR_203_0_113, LINE_FOR_203_0_113), lines);
    }

    @Test
    void namesAnIpv6PeerByItsSlash48AndNeverTheAddress() {
        byte[] peer = {0x20, 0x01, 0x0d, (byte) 0xb8, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0, 0, 0, 0, 0x42};
        ignored.record(peer);
        assertEquals(List.of("ignored X-Forwarded-For headers from a peer in 2001:db8:1234::/48, which is"
                + " outside trusted-proxies: such requests' visitors are counted by the peer's address. If a proxy or"
                + " load balancer there forwards requests to this app, add its addresses to the setting"
                + " trusted-proxies; headcount_forwarded_ignored_total counts these requests"
                + " (this line repeats at most once an hour)"), lines);
    }

    @Test
    void aClockThatStartsNegativeStillLogsTheFirstRequest() {
        now.set(Long.MIN_VALUE + 10);
        ignored.record(new byte[] {(byte) 203, 0, 113, 5});
        assertEquals(List.of(LINE_FOR_203_0_113), lines);
    }
}
