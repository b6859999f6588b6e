package io.headcount.it.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.PrometheusText;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 2: Sentinel failover for real. A primary, a replica and three sentinels on
 * loopback; three app instances given a {@code redis-sentinel://} URL; {@code SENTINEL FAILOVER}
 * in the middle of traffic. No app request may fail, counting must resume on the new primary by
 * itself, and the day's figures must stay exact.
 */
class RedisSentinelFailoverIT {
    private static final String MASTER = "mymaster";
    private static final int VISITORS = 300;

    private final List<RedisNode> nodes = new ArrayList<>();
    private SharedRedisApps apps;

    @AfterEach
    void stop() throws Exception {
        if (apps != null) {
            apps.close();
        }
        for (RedisNode node : nodes) {
            node.close();
        }
    }

    private RedisNode node(String program, List<String> config) {
        RedisNode node = RedisNode.start(program, FreePorts.pick(), config, List.of());
        nodes.add(node);
        return node;
    }

    private static long scard(RedisNode node, String key) {
        return Long.parseLong(node.cli("SCARD", key));
    }

    @Test
    void theAgentFollowsASentinelFailoverWithNoFailedRequestAndExactCounts() throws Exception {
        RedisNode.require("redis-sentinel");
        RedisNode primary = node("redis-server", List.of("appendonly no"));
        RedisNode replica = node("redis-server", List.of("appendonly no", "replicaof 127.0.0.1 PORT"
                .replace("PORT", String.valueOf(primary.port()))));
        List<RedisNode> sentinels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sentinels.add(node("redis-sentinel", List.of(
                    "sentinel monitor " + MASTER + " 127.0.0.1 " + primary.port() + " 2",
                    "sentinel down-after-milliseconds " + MASTER + " 2000",
                    "sentinel failover-timeout " + MASTER + " 10000",
                    "sentinel parallel-syncs " + MASTER + " 1")));
        }
        for (RedisNode sentinel : sentinels) {
            SharedRedisApps.await("sentinel " + sentinel.port() + " knows the replica and the two other sentinels", 60, () -> {
                String master = sentinel.cli("SENTINEL", "MASTER", MASTER);
                return master.contains("num-slaves\n1") && master.contains("num-other-sentinels\n2");
            });
        }
        SharedRedisApps.await("the replica is in sync", 30, () -> replica.cli("INFO", "replication").contains("master_link_status:up"));

        StringBuilder url = new StringBuilder("redis-sentinel://");
        for (RedisNode sentinel : sentinels) {
            url.append(url.length() > "redis-sentinel://".length() ? "," : "").append("127.0.0.1:").append(sentinel.port());
        }
        url.append('#').append(MASTER);
        apps = new SharedRedisApps("redis-sentinel", 3, "redis.url=" + url);

        VisitorTraffic traffic = new VisitorTraffic(20261215);
        List<VisitorTraffic.Visit> known = traffic.plan(0, 150, 3, 5);
        List<VisitorTraffic.Visit> fresh = traffic.plan(150, VISITORS, 2, 4);
        int half = known.size() / 2;
        traffic.send(known.subList(0, half), i -> apps.pick(traffic), 0);
        apps.settledScrapes(half, 60);

        // Returning and new visitors over about 20 s with four clients; the failover comes 4 s in.
        List<VisitorTraffic.Visit> during = new ArrayList<>(known.subList(half, known.size()));
        during.addAll(fresh);
        Collections.shuffle(during, new java.util.Random(15));
        String daySet = "headcount:" + LocalDate.now(ZoneOffset.UTC) + ":visitors:browser";
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                traffic.send(during, i -> apps.pick(traffic), 4 * 20_000L / during.size());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(4000);
        java.time.Instant failoverAt = java.time.Instant.now();
        long failoverStart = System.nanoTime();
        assertEquals("OK", sentinels.get(0).cli("SENTINEL", "FAILOVER", MASTER));
        SharedRedisApps.await("the sentinels name the replica as primary", 30, () -> sentinels.get(0)
                .cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER).contains(String.valueOf(replica.port())));
        SharedRedisApps.await("the replica is a primary", 30, () -> replica.cli("ROLE").startsWith("master"));
        long promoted = System.nanoTime();
        sending.get();
        double switched = apps.secondsUntilLine("another Redis server process answers", failoverAt);

        int requests = known.size() + fresh.size();
        List<PrometheusText> scrapes = apps.settledScrapes(requests, 90);
        System.out.printf("sentinel failover: %d requests, all answered 200; promoted %.1f s after SENTINEL FAILOVER,"
                        + " the last instance moved to it and gave back its visitors %.1f s after it, and sent new ones again"
                        + " 5 s later; day set on the new primary %d; %s%n",
                requests, (promoted - failoverStart) / 1e9, switched, scard(replica, daySet),
                SharedRedisApps.figures(scrapes));
        SharedRedisApps.assertExact("sentinel failover (" + requests + " requests)", scrapes, traffic);
        assertEquals(VISITORS, scard(replica, daySet));
        assertTrue(replica.cli("ROLE").startsWith("master"));
    }
}
