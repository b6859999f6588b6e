package io.headcount.agent;

import io.headcount.agent.visitors.VisitorHasher;
import io.headcount.bench.UserAgents;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the worker's number for a User-Agent ({@code userAgentId}, from its classification cache)
 * saves a returning visitor, against keying the fingerprint cache by the User-Agent itself: the
 * visits are 256 returning visitors (address and real browser User-Agent) cycled, all in the
 * cache, so each call is the cache look-up alone: by the User-Agent's number it hashes the address's
 * bytes and the number; by the text it writes the address's text and hashes it with the header.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class VisitorKeyBenchmark {
    private static final int VISITS = 256;
    private final byte[][] addresses = new byte[VISITS][];
    private final String[] userAgents = new String[VISITS];
    private final long[] ids = new long[VISITS];
    /** One table per key, so that neither pushes the other's visits out. */
    private VisitorHasher byId;
    private VisitorHasher byText;
    private int next;

    @Setup(Level.Trial)
    public void visitors() {
        byId = new VisitorHasher(new byte[32]);
        byText = new VisitorHasher(new byte[32]);
        List<String> pool = UserAgents.distinct(256, 42);
        for (int i = 0; i < VISITS; i++) {
            addresses[i] = new byte[] {(byte) 198, 51, (byte) (i >> 8), (byte) i};
            userAgents[i] = pool.get(i % pool.size());
            ids[i] = 1 + i % pool.size();
            byId.fingerprint(addresses[i], userAgents[i], ids[i]);
            byText.fingerprint(addresses[i], userAgents[i], 0);
        }
    }

    /** As the worker does: the cache keyed by address and the User-Agent's number. */
    @Benchmark
    public long byUserAgentId() {
        int i = next++ & (VISITS - 1);
        return byId.fingerprint(addresses[i], userAgents[i], ids[i]);
    }

    /** The cleaner key: address and the User-Agent's text, SipHashed whole. */
    @Benchmark
    public long byUserAgentText() {
        int i = next++ & (VISITS - 1);
        return byText.fingerprint(addresses[i], userAgents[i], 0);
    }
}
