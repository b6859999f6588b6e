package io.headcount.it.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.PrometheusText;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 1: Redis Cluster for real. Three primaries and three replicas
 * ({@code redis-server --cluster-enabled yes}, {@code redis-cli --cluster create ... --cluster-replicas 1})
 * on loopback; three app instances with {@code redis.cluster=true} count exactly; then the primary
 * holding the day's visitor set is killed mid-traffic and its replica takes over: no app request
 * fails, counting resumes by itself and the day's figures stay exact.
 */
class RedisClusterFailoverIT {
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

    /** The line of {@code CLUSTER NODES} (seen from {@code from}) of the node on {@code port}. */
    private static String[] nodeLine(RedisNode from, int port) {
        for (String line : from.cli("CLUSTER", "NODES").split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 2 && fields[1].startsWith("127.0.0.1:" + port + "@")) {
                return fields;
            }
        }
        throw new AssertionError("node " + port + " not in " + from.cli("CLUSTER", "NODES"));
    }

    @Test
    void threeInstancesCountExactlyOnAClusterAndThroughAPrimaryKilledMidTraffic() throws Exception {
        RedisNode.require("redis-cli");
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int port = FreePorts.pick();
            RedisNode node = RedisNode.start("redis-server", port, List.of("cluster-enabled yes",
                    "cluster-port " + FreePorts.pick(), "cluster-config-file nodes.conf", "cluster-node-timeout 2000",
                    "appendonly no"), List.of());
            nodes.add(node);
            addresses.add("127.0.0.1:" + port);
        }
        List<String> create = new ArrayList<>(List.of("--cluster", "create"));
        create.addAll(addresses);
        create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        nodes.get(0).cli(create.toArray(new String[0]));
        for (RedisNode node : nodes) {
            SharedRedisApps.await("node " + node.port() + " sees the cluster ok", 60, () -> node.cli("CLUSTER", "INFO").contains("cluster_state:ok")
                    && node.cli("CLUSTER", "NODES").lines().filter(line -> line.contains("connected")).count() == 6);
        }

        apps = new SharedRedisApps("redis-cluster", 3, "redis.url=redis://" + addresses.get(0) + ",redis.cluster=true");
        VisitorTraffic traffic = new VisitorTraffic(20261216);
        List<VisitorTraffic.Visit> known = traffic.plan(0, 150, 3, 5);
        List<VisitorTraffic.Visit> fresh = traffic.plan(150, VISITORS, 2, 4);
        int half = known.size() / 2;
        traffic.send(known.subList(0, half), i -> apps.pick(traffic), 0);
        List<PrometheusText> first = apps.settledScrapes(half, 60);
        System.out.println("cluster before the failover: " + SharedRedisApps.figures(first));

        // The primary that holds the day's set of browser visitors, and its replica.
        String daySet = "headcount:" + LocalDate.now(ZoneOffset.UTC) + ":visitors:browser";
        RedisNode any = nodes.get(0);
        String slot = any.cli("CLUSTER", "KEYSLOT", daySet);
        RedisNode primary = null;
        for (RedisNode node : nodes) {
            String[] line = nodeLine(any, node.port());
            if (line[2].contains("master") && owns(line, Integer.parseInt(slot))) {
                primary = node;
            }
        }
        RedisNode killed = primary;
        String killedId = nodeLine(any, killed.port())[0];
        RedisNode replica = nodes.stream().filter(node -> nodeLine(any, node.port())[3].equals(killedId)).findFirst()
                .orElseThrow(() -> new AssertionError("no replica of " + killedId + ": " + any.cli("CLUSTER", "NODES")));
        RedisNode survivor = nodes.stream().filter(node -> node != killed && node != replica).findFirst().orElseThrow();

        List<VisitorTraffic.Visit> during = new ArrayList<>(known.subList(half, known.size()));
        during.addAll(fresh);
        Collections.shuffle(during, new java.util.Random(16));
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                traffic.send(during, i -> apps.pick(traffic), 4 * 20_000L / during.size());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(4000);
        Instant killedAt = Instant.now();
        long killStart = System.nanoTime();
        killed.kill();
        SharedRedisApps.await("the replica took over", 60, () -> replica.cli("ROLE").startsWith("master")
                && survivor.cli("CLUSTER", "INFO").contains("cluster_state:ok"));
        long promoted = System.nanoTime();
        sending.get();
        double gaveBack = apps.secondsUntilLine("a replica took over from a primary", killedAt);

        int requests = known.size() + fresh.size();
        List<PrometheusText> scrapes = apps.settledScrapes(requests, 90);
        long inRedis = Long.parseLong(replica.cli("SCARD", daySet));
        System.out.printf("cluster failover: %d requests, all answered 200; primary %d killed, its replica %d primary"
                        + " %.1f s later; the last instance gave back its visitors %.1f s after the kill and sent new ones"
                        + " 5 s later; day set %d; %s%n", requests, killed.port(), replica.port(),
                (promoted - killStart) / 1e9, gaveBack, inRedis, SharedRedisApps.figures(scrapes));
        SharedRedisApps.assertExact("cluster failover (" + requests + " requests)", scrapes, traffic);
        assertEquals(VISITORS, inRedis);
    }

    /** Whether the {@code CLUSTER NODES} line lists {@code slot} among its ranges. */
    private static boolean owns(String[] line, int slot) {
        for (int i = 8; i < line.length; i++) {
            String range = line[i];
            if (range.startsWith("[")) {
                continue;
            }
            String[] bounds = range.split("-");
            int low = Integer.parseInt(bounds[0]);
            int high = bounds.length > 1 ? Integer.parseInt(bounds[1]) : low;
            if (slot >= low && slot <= high) {
                return true;
            }
        }
        return false;
    }
}
