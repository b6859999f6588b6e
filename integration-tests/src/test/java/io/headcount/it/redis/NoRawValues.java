package io.headcount.it.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.testsupport.RedisServerProcess;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Searches every Redis key and value, every line the apps wrote and every scrape for the raw
 * addresses and User-Agents of {@link VisitorTraffic}'s visitors: none may appear.
 */
final class NoRawValues {
    private NoRawValues() {
    }

    static void assertNoneIn(RedisServerProcess redis, List<AppProcess> apps, List<MetricsEndpoint> metrics,
                             int visitors) throws Exception {
        StringBuilder everything = new StringBuilder();
        String keys = redis.command("KEYS", "*");
        everything.append(keys);
        for (String line : keys.split("\r\n")) {
            if (line.isEmpty() || line.startsWith("*") || line.startsWith("$")) {
                continue;
            }
            String type = redis.command("TYPE", line);
            everything.append(type.contains("set") ? redis.command("SMEMBERS", line) : redis.command("GET", line));
        }
        assertTrue(keys.contains(":visitors:"), keys);
        for (AppProcess app : apps) {
            everything.append(app.output());
        }
        Http http = new Http();
        for (MetricsEndpoint endpoint : metrics) {
            everything.append(http.get(endpoint.url()).send().body());
        }
        String haystack = everything.toString();
        Set<String> addresses = new HashSet<>();
        for (int visitor = 0; visitor < visitors; visitor++) {
            addresses.add(VisitorTraffic.address(visitor));
            assertFalse(haystack.contains("rv:" + (100 + visitor) + ".0)"), "user agent of visitor " + visitor);
        }
        Matcher ipv4 = Pattern.compile("(?<![0-9.])\\d{1,3}(\\.\\d{1,3}){3}(?![0-9])").matcher(haystack);
        while (ipv4.find()) {
            assertFalse(addresses.contains(ipv4.group()), "a visitor's address appears: " + ipv4.group());
        }
        assertFalse(haystack.contains("198.18."), "a visitor's address prefix appears");
    }
}
