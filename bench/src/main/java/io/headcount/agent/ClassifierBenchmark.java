package io.headcount.agent;

import io.headcount.agent.classify.UserAgentClassifier;
import io.headcount.agent.classify.UserAgentInfo;
import io.headcount.bench.UserAgents;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
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
 * (c) The User-Agent classification alone, in ns per User-Agent.
 *
 * <p>{@code classifierCold}: {@link UserAgentClassifier#classify} itself, each call on the next of
 * every distinct User-Agent of the corpus (tens of thousands), so nothing it might keep helps.
 * {@code recorderCacheMiss}: the worker's cached lookup ({@code RequestRecorder.classify}) cycling
 * through twice as many distinct User-Agents as its cache holds, so every call misses,
 * classifies and evicts. {@code recorderCacheHit}: the same lookup over 1,024 User-Agents, which
 * all stay cached: the common case of real traffic.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class ClassifierBenchmark {
    private static final MethodHandle CACHED_CLASSIFY = cachedClassify();
    private static final int HIT_POOL = 1024;

    private final UserAgentClassifier classifier = new UserAgentClassifier();
    private RequestRecorder recorder;
    private String[] everyUserAgent;
    private String[] missPool;
    private String[] hitPool;
    private int cold;
    private int miss;
    private int hit;

    @Setup(Level.Trial)
    public void load() throws Exception {
        int cacheSize = userAgentCacheSize();
        List<String> corpus = UserAgents.corpus();
        if (corpus.size() < 2 * cacheSize) {
            corpus = UserAgents.distinct(4 * cacheSize, 11);
        }
        everyUserAgent = corpus.toArray(new String[0]);
        missPool = UserAgents.distinct(2 * cacheSize, 13).toArray(new String[0]);
        hitPool = UserAgents.distinct(HIT_POOL, 17).toArray(new String[0]);
        System.out.printf("%n[ua] %d distinct User-Agents from %s; recorder cache holds %d%n",
                everyUserAgent.length, UserAgents.source(), cacheSize);
        recorder = InMemoryRecorders.withDefaultSettings().recorder;
    }

    @Benchmark
    public UserAgentInfo classifierCold() {
        String userAgent = everyUserAgent[cold];
        cold = cold + 1 == everyUserAgent.length ? 0 : cold + 1;
        return classifier.classify(userAgent);
    }

    @Benchmark
    public Object recorderCacheMiss() throws Throwable {
        String userAgent = missPool[miss];
        miss = miss + 1 == missPool.length ? 0 : miss + 1;
        return (Object) CACHED_CLASSIFY.invokeExact(recorder, userAgent);
    }

    @Benchmark
    public Object recorderCacheHit() throws Throwable {
        String userAgent = hitPool[hit];
        hit = hit + 1 == hitPool.length ? 0 : hit + 1;
        return (Object) CACHED_CLASSIFY.invokeExact(recorder, userAgent);
    }

    /** The recorder's own cached lookup, private to it: reached the way a test in its package could not. */
    private static MethodHandle cachedClassify() {
        try {
            // It returns the recorder's private holder of the classes and the User-Agent's number.
            java.lang.reflect.Method classify = RequestRecorder.class.getDeclaredMethod("classify", String.class);
            return MethodHandles.privateLookupIn(RequestRecorder.class, MethodHandles.lookup()).unreflect(classify)
                    .asType(MethodType.methodType(Object.class, RequestRecorder.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("RequestRecorder no longer has classify(String): "
                    + "update ClassifierBenchmark to the recorder's cached lookup (" + e + ")");
        }
    }

    private static int userAgentCacheSize() {
        try {
            Field field = RequestRecorder.class.getDeclaredField("USER_AGENT_CACHE_SIZE");
            field.setAccessible(true);
            return field.getInt(null);
        } catch (ReflectiveOperationException e) {
            return 4096;
        }
    }
}
