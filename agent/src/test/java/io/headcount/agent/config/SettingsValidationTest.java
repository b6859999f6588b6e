package io.headcount.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsValidationTest {
    private static final String KEYS = "enabled, host, port, redis.url, redis.cluster, redis.key-prefix, redis.timeout-ms, redis.tls.ca-file, redis.hold.max-visits, redis.hold.max-ms, redis.backlog.max, trusted-proxies, forwarded-header, "
            + "endpoint.max, "
            + "referrer.max, clients, exclude.paths, exclude.ips, exclude.user-agents, day.zone, visitors.max, visitors.mode, respect-gpc, respect-dnt, auth.cookie, queue.capacity, log.level, metrics.username, metrics.password-file, metrics.password-env, "
            + "metrics.tls.keystore, metrics.tls.keystore-password-file, metrics.tls.keystore-password-env, "
            + "diagnostic.advice, diagnostic.headers, diagnostic.weave, diagnostic.worker";

    @TempDir
    Path dir;

    private static String error(String args) {
        return error(args, Map.of(), Map.of());
    }

    private static String error(String args, Map<String, String> properties, Map<String, String> env) {
        String message = assertThrows(InvalidSettingsException.class,
                () -> SettingsLoader.load(args, properties, env)).getMessage();
        assertFalse(message.contains("\n") || message.contains("\r"), message);
        return message;
    }

    @Test
    void badPortNamesKeyValueSourceAndRange() {
        assertEquals("Invalid value '99999' for setting 'port' (agent argument); allowed: an integer from 0 to 65535",
                error("port=99999"));
        assertEquals("Invalid value '-1' for setting 'port' (system property headcount.port); allowed: an integer from 0 to 65535",
                error(null, Map.of("headcount.port", "-1"), Map.of()));
        assertEquals("Invalid value 'http' for setting 'port' (environment HEADCOUNT_PORT); allowed: an integer from 0 to 65535",
                error(null, Map.of(), Map.of("HEADCOUNT_PORT", "http")));
        assertEquals("Invalid value '' for setting 'port' (agent argument); allowed: an integer from 0 to 65535",
                error("port="));
        assertEquals("Invalid value '99999999999' for setting 'port' (agent argument); allowed: an integer from 0 to 65535",
                error("port=99999999999"));
    }

    @Test
    void badBoolean() {
        assertEquals("Invalid value 'yes' for setting 'enabled' (agent argument); allowed: true or false",
                error("enabled=yes"));
    }

    @Test
    void badHost() {
        assertEquals("Invalid value 'my host' for setting 'host' (agent argument); "
                        + "allowed: an IP address or host name such as 0.0.0.0, 127.0.0.1 or ::",
                error("host=my host"));
        assertEquals("Invalid value '' for setting 'host' (agent argument); "
                        + "allowed: an IP address or host name such as 0.0.0.0, 127.0.0.1 or ::",
                error("host="));
    }

    @Test
    void hostMustBeAnAddressOrResolveNow() {
        assertEquals("Invalid value '999.1.1.1' for setting 'host' (agent argument): not an IPv4 address; "
                        + "allowed: an IP address or host name such as 0.0.0.0, 127.0.0.1 or ::",
                error("host=999.1.1.1"));
        assertEquals("Invalid value '127.1' for setting 'host' (agent argument): not an IPv4 address; "
                        + "allowed: an IP address or host name such as 0.0.0.0, 127.0.0.1 or ::",
                error("host=127.1"));
        assertEquals("Invalid value 'nonexistent.invalid' for setting 'host' (system property headcount.host): "
                        + "no address of that name was found; "
                        + "allowed: an IP address or host name such as 0.0.0.0, 127.0.0.1 or ::",
                error(null, Map.of("headcount.host", "nonexistent.invalid"), Map.of()));
        assertEquals("Invalid value '[::1' for setting 'host' (agent argument): no address of that name was found; "
                        + "allowed: an IP address or host name such as 0.0.0.0, 127.0.0.1 or ::",
                error("host=[::1"));
    }

    @Test
    void redisUrlMustParseFully() {
        String allowed = "; allowed: a URI starting with redis://, rediss:// or redis-sentinel://, or empty for in-memory mode";
        assertEquals("Invalid value 'redis://127.0.0.1:notaport' for setting 'redis.url' (agent argument): "
                + "the port 'notaport' is not a number from 1 to 65535" + allowed, error("redis.url=redis://127.0.0.1:notaport"));
        assertEquals("Invalid value 'redis://[::1' for setting 'redis.url' (agent argument): "
                + "the IPv6 address after '[' is not closed with ']'" + allowed, error("redis.url=redis://[::1"));
        assertEquals("Invalid value 'redis://h:0' for setting 'redis.url' (agent argument): "
                + "the port '0' is not a number from 1 to 65535" + allowed, error("redis.url=redis://h:0"));
        assertEquals("Invalid value 'redis://h:65536' for setting 'redis.url' (agent argument): "
                + "the port '65536' is not a number from 1 to 65535" + allowed, error("redis.url=redis://h:65536"));
        assertEquals("Invalid value 'redis://h:' for setting 'redis.url' (agent argument): "
                + "the port '' is not a number from 1 to 65535" + allowed, error("redis.url=redis://h:"));
        assertEquals("Invalid value 'redis://::1:6379' for setting 'redis.url' (agent argument): "
                + "an IPv6 address must be written in brackets, such as redis://[::1]:6379" + allowed,
                error("redis.url=redis://::1:6379"));
        assertEquals("Invalid value 'redis://[::1]x' for setting 'redis.url' (agent argument): "
                + "unexpected text 'x' after ']'" + allowed, error("redis.url=redis://[::1]x"));
        assertEquals("Invalid value 'redis://[not:v6]:6379' for setting 'redis.url' (agent argument): "
                + "'[not:v6]' is not an IPv6 address" + allowed, error("redis.url=redis://[not:v6]:6379"));
        assertEquals("Invalid value 'redis://999.1.1.1' for setting 'redis.url' (agent argument): "
                + "'999.1.1.1' is not an IPv4 address" + allowed, error("redis.url=redis://999.1.1.1"));
        assertEquals("Invalid value 'redis://:***@/0' for setting 'redis.url' (agent argument): no host" + allowed,
                error("redis.url=redis://:s3cret@/0"));
        assertEquals("Invalid value 'redis://:***@:6379' for setting 'redis.url' (agent argument): no host before ':'"
                + allowed, error("redis.url=redis://:s3cret@:6379"));
        assertEquals("Invalid value 'redis://h_st!:6379' for setting 'redis.url' (agent argument): "
                + "'h_st!' is not a host name or IP address" + allowed, error("redis.url=redis://h_st!:6379"));
        assertEquals("Invalid value 'redis://h/zero' for setting 'redis.url' (agent argument): "
                + "the database 'zero' after '/' is not a number" + allowed, error("redis.url=redis://h/zero"));
        assertEquals("Invalid value 'redis://a:6379,b:6379' for setting 'redis.url' (agent argument): "
                + "several hosts are allowed with redis-sentinel:// only" + allowed, error("redis.url=redis://a:6379,b:6379"));
        assertEquals("Invalid value 'redis-sentinel://a:26379,' for setting 'redis.url' (agent argument): "
                + "an empty host in the host list" + allowed, error("redis.url=redis-sentinel://a:26379,"));
        assertEquals("Invalid value 'redis-sentinel://a:26379,b:x' for setting 'redis.url' (agent argument): "
                + "the port 'x' is not a number from 1 to 65535" + allowed, error("redis.url=redis-sentinel://a:26379,b:x"));
        assertEquals("Invalid value 'redis://h 1' for setting 'redis.url' (agent argument)" + allowed,
                error("redis.url=redis://h 1"));
        // Lettuce would read these differently, or fail later and print the URL with its password.
        assertEquals("Invalid value 'redis://u:***@h:1' for setting 'redis.url' (agent argument): more than one '@'"
                + " before the host; write an '@' in the user name or password as %40" + allowed,
                error("redis.url=redis://u:p@ss@h:1"));
        assertEquals("Invalid value 'redis://:***@127.0.0.1:6379' for setting 'redis.url' (agent argument): a '%' not"
                + " followed by two hex digits; write a '%' in the user name or password as %25" + allowed,
                error("redis.url=redis://:s3cr%et@127.0.0.1:6379"));
        assertEquals("Invalid value 'redis-sentinel://:***@127.0.0.1:26379#main' for setting 'redis.url' (agent argument):"
                + " a '%' not followed by two hex digits; write a '%' in the user name or password as %25" + allowed,
                error("redis.url=redis-sentinel://:Hunter%2@127.0.0.1:26379#main"));
        assertEquals("Invalid value 'redis://:***@127.0.0.1:6379' for setting 'redis.url' (agent argument): a '%' not"
                + " followed by two hex digits; write a '%' in the user name or password as %25" + allowed,
                error("redis.url=redis://:p%\u0663\u0663@127.0.0.1:6379"));
    }

    @Test
    void wellFormedRedisUrlsAreAccepted() throws Exception {
        for (String url : new String[] {"redis://h", "redis://127.0.0.1:6379", "rediss://:s3cret@redis.example:6380/0",
                "redis://app:s3cret@redis-0.redis.svc.cluster.local:6379/15?timeout=5s", "redis://[::1]:6379",
                "redis://[fe80::1%25eth0]", "redis://[fe80::1%eth0]:6380", "redis://:p%40ss@[::1%lo]:6379",
                "redis://h/", "redis://h?database=2",
                "redis-sentinel://s1.example:26379,s2.example:26379/0#main",
                "redis-sentinel://:pw@s1:26379,[2001:db8::1]:26379/0?sentinelMasterId=main&timeout=5s"}) {
            assertEquals(url, SettingsLoader.load("redis.url=" + url, Map.of(), Map.of()).get(SettingDefinitions.REDIS_URL), url);
        }
    }

    @Test
    void keyPrefixWithoutSpacesOrControlCharacters() {
        String allowed = "; allowed: 1 to 100 characters without spaces or control characters";
        assertEquals("Invalid value 'a b' for setting 'redis.key-prefix' (agent argument)" + allowed,
                error("redis.key-prefix=a b"));
        assertEquals("Invalid value 'a\\tb' for setting 'redis.key-prefix' (environment HEADCOUNT_REDIS_KEY_PREFIX)"
                + allowed, error(null, Map.of(), Map.of("HEADCOUNT_REDIS_KEY_PREFIX", "a\tb")));
        assertEquals("Invalid value 'a\\u0000b' for setting 'redis.key-prefix' (agent argument)" + allowed,
                error("redis.key-prefix=a\u0000b"));
        assertEquals("Invalid value 'a\u00a0b' for setting 'redis.key-prefix' (agent argument)" + allowed,
                error("redis.key-prefix=a\u00a0b"));
        assertEquals("Invalid value '' for setting 'redis.key-prefix' (agent argument)" + allowed,
                error("redis.key-prefix="));
        assertEquals("Invalid value '" + "k".repeat(101) + "' for setting 'redis.key-prefix' (agent argument)" + allowed,
                error("redis.key-prefix=" + "k".repeat(101)));
    }

    @Test
    void aValueThatReordersTheLineIsPrintedEscaped() {
        // U+202E would show the rest of the line right to left; U+0080 is a C1 control.
        assertEquals("Invalid value 'abc\\u202e\\u0080' for setting 'port' (agent argument); allowed: an integer"
                + " from 0 to 65535", error("port=abc\u202e\u0080"));
    }

    @Test
    void forwardedHeaderIsOneOfTwoNames() {
        assertEquals("Invalid value 'X-Real-IP' for setting 'forwarded-header' (agent argument); "
                + "allowed: X-Forwarded-For or Forwarded", error("forwarded-header=X-Real-IP"));
        assertEquals("Invalid value 'X-Forwarded-For,Forwarded' for setting 'forwarded-header' (agent argument); "
                + "allowed: X-Forwarded-For or Forwarded", error("forwarded-header=X-Forwarded-For,Forwarded"));
    }

    @Test
    void badIntegerRanges() {
        assertEquals("Invalid value '0' for setting 'endpoint.max' (agent argument); allowed: an integer from 1 to 100000",
                error("endpoint.max=0"));
        assertEquals("Invalid value '100001' for setting 'referrer.max' (agent argument); allowed: an integer from 1 to 100000",
                error("referrer.max=100001"));
        assertEquals("Invalid value '999' for setting 'visitors.max' (agent argument); allowed: an integer from 1000 to 100000000",
                error("visitors.max=999"));
        assertEquals("Invalid value '100000001' for setting 'visitors.max' (agent argument); "
                        + "allowed: an integer from 1000 to 100000000",
                error("visitors.max=100000001"));
        assertEquals("Invalid value '1.5' for setting 'endpoint.max' (agent argument); allowed: an integer from 1 to 100000",
                error("endpoint.max=1.5"));
    }

    @Test
    void aCookieNameIsOneHttpToken() {
        assertEquals("Invalid value 'remember me' for setting 'auth.cookie' (agent argument); "
                        + "allowed: a cookie name (letters, digits and !#$%&'*+-.^_`|~, at most 128), or empty for none",
                error("auth.cookie=remember me"));
        assertEquals("Invalid value 'a=b' for setting 'auth.cookie' (agent argument); "
                        + "allowed: a cookie name (letters, digits and !#$%&'*+-.^_`|~, at most 128), or empty for none",
                error("auth.cookie=a=b"));
    }

    @Test
    void badQueueCapacity() {
        assertEquals("Invalid value '15' for setting 'queue.capacity' (agent argument); "
                        + "allowed: an integer from 16 to 1048576, rounded up to a power of two",
                error("queue.capacity=15"));
        assertEquals("Invalid value '1048577' for setting 'queue.capacity' (agent argument); "
                        + "allowed: an integer from 16 to 1048576, rounded up to a power of two",
                error("queue.capacity=1048577"));
    }

    @Test
    void badZoneSuggestsTheIdWithItsRightCase() {
        assertEquals("Invalid value 'europe/berlin' for setting 'day.zone' (agent argument); "
                        + "allowed: a time zone ID such as UTC, Europe/Berlin or +02:00; did you mean 'Europe/Berlin'?",
                error("day.zone=europe/berlin"));
        assertEquals("Invalid value 'Mars/Olympus' for setting 'day.zone' (agent argument); "
                        + "allowed: a time zone ID such as UTC, Europe/Berlin or +02:00",
                error("day.zone=Mars/Olympus"));
    }

    @Test
    void badGlobSaysWhichOne() {
        assertEquals("Invalid value '/health*,health' for setting 'exclude.paths' (agent argument): "
                        + "'health' starts with neither / nor *; allowed: comma-separated path globs "
                        + "starting with / or *, where * matches any characters, or empty",
                error("exclude.paths=/health*,health"));
        assertEquals("Invalid value '/a b' for setting 'exclude.paths' (system property headcount.exclude.paths): "
                        + "'/a b' holds white space; allowed: comma-separated path globs "
                        + "starting with / or *, where * matches any characters, or empty",
                error(null, Map.of("headcount.exclude.paths", "/a b"), Map.of()));
    }

    @Test
    void badCidrCarriesTheParserReasonOnOneLine() {
        String message = error("trusted-proxies=10.0.0.0/8,10.0.0.0/33,port=9000");

        assertTrue(message.startsWith("Invalid value '10.0.0.0/8,10.0.0.0/33' for setting 'trusted-proxies' "
                + "(agent argument): "), message);
        assertTrue(message.endsWith("; allowed: comma-separated CIDR blocks such as 10.0.0.0/8,::1, "
                + "or empty to trust no proxy"), message);
    }

    @Test
    void badRedisUrlIsShownWithThePasswordMasked() {
        assertEquals("Invalid value 'http://app:***@redis.example' for setting 'redis.url' (agent argument); "
                        + "allowed: a URI starting with redis://, rediss:// or redis-sentinel://, or empty for in-memory mode",
                error("redis.url=http://app:s3cret@redis.example"));
        assertEquals("Invalid value 'redis:***@redis.example' for setting 'redis.url' "
                        + "(environment HEADCOUNT_REDIS_URL); "
                        + "allowed: a URI starting with redis://, rediss:// or redis-sentinel://, or empty for in-memory mode",
                error(null, Map.of(), Map.of("HEADCOUNT_REDIS_URL", "redis:/s3cret@redis.example")));
        assertEquals("Invalid value 'redis://' for setting 'redis.url' (agent argument); "
                        + "allowed: a URI starting with redis://, rediss:// or redis-sentinel://, or empty for in-memory mode",
                error("redis.url=redis://"));
    }

    @Test
    void unknownAgentArgumentKeySuggestsTheNearKey() {
        assertEquals("Unknown setting 'prot' with value '9000' (agent argument); allowed keys: " + KEYS
                        + ", config; did you mean 'port'?",
                error("prot=9000"));
    }

    @Test
    void unknownKeyWithoutNearMissHasNoSuggestion() {
        assertEquals("Unknown setting 'colour' with value 'blue' (agent argument); allowed keys: " + KEYS + ", config",
                error("colour=blue"));
    }

    @Test
    void nearMissesIgnoreSeparatorsCaseAndAHeadcountPrefix() {
        assertTrue(error("trusted_proxies=").endsWith("; did you mean 'trusted-proxies'?"));
        assertTrue(error("Endpoint-Max=5").endsWith("; did you mean 'endpoint.max'?"));
        assertTrue(error("headcount.port=5").endsWith("; did you mean 'port'?"));
        assertTrue(error("exclude.path=/x").endsWith("; did you mean 'exclude.paths'?"));
        assertTrue(error("refferer.max=5").endsWith("; did you mean 'referrer.max'?"));
        assertTrue(error("dayzone=UTC").endsWith("; did you mean 'day.zone'?"));
    }

    @Test
    void unknownSystemPropertyNamesTheProperty() {
        assertEquals("Unknown setting 'redis-url' with value 'redis://:***@h' (system property headcount.redis-url); "
                        + "allowed keys: " + KEYS + ", config; did you mean 'redis.url'?",
                error(null, Map.of("headcount.redis-url", "redis://:pw@h"), Map.of()));
    }

    @Test
    void unknownKeyValueIsMaskedLikeAUri() {
        String message = error("redis.uri=redis://app:hunter2@h:6379");

        assertFalse(message.contains("hunter2"), message);
        assertTrue(message.startsWith("Unknown setting 'redis.uri' with value 'redis://app:***@h:6379' (agent argument)"),
                message);
        assertTrue(message.endsWith("; did you mean 'redis.url'?"), message);
    }

    @Test
    void unknownFileKeyNamesTheFileAndDoesNotOfferConfig() throws Exception {
        Path file = dir.resolve("h.properties");
        Files.writeString(file, "port=9000\nexclude.pahts=/x\n");

        assertEquals("Unknown setting 'exclude.pahts' with value '/x' (file " + file + "); allowed keys: " + KEYS
                        + "; did you mean 'exclude.paths'?",
                error(null, Map.of("headcount.config", file.toString()), Map.of()));
    }

    @Test
    void envStyleKeyInFileSuggestsThePlainKey() throws Exception {
        Path file = dir.resolve("h.properties");
        Files.writeString(file, "HEADCOUNT_PORT=9000\n");

        assertTrue(error("config=" + file).endsWith("; did you mean 'port'?"));
    }

    @Test
    void badValueInFileNamesTheFile() throws Exception {
        Path file = dir.resolve("h.properties");
        Files.writeString(file, "referrer.max = lots\n");

        assertEquals("Invalid value 'lots' for setting 'referrer.max' (file " + file + "); allowed: an integer from 1 to 100000",
                error(null, Map.of(), Map.of("HEADCOUNT_CONFIG", file.toString())));
    }

    @Test
    void configInsideTheFileIsRejected() throws Exception {
        Path file = dir.resolve("h.properties");
        Files.writeString(file, "config=/etc/other.properties\n");

        assertEquals("Setting 'config' cannot be set inside a settings file (file " + file + "); allowed: "
                        + "the agent argument config=, the system property headcount.config or the environment "
                        + "variable HEADCOUNT_CONFIG",
                error("config=" + file));
    }

    @Test
    void missingFileNamesThePathAndWhoNamedIt() {
        Path missing = dir.resolve("missing.properties");

        assertEquals("Cannot read settings file '" + missing + "' named by system property headcount.config: no such file",
                error(null, Map.of("headcount.config", missing.toString()), Map.of()));
        assertEquals("Cannot read settings file '" + missing + "' named by environment HEADCOUNT_CONFIG: no such file",
                error(null, Map.of(), Map.of("HEADCOUNT_CONFIG", missing.toString())));
        assertEquals("Cannot read settings file '" + missing + "' named by agent argument config=: no such file",
                error("config=" + missing));
    }

    @Test
    void relativeMissingFileShowsItsAbsolutePathToo() {
        String message = error("config=no-such-dir/h.properties");

        assertEquals("Cannot read settings file 'no-such-dir/h.properties' ("
                        + Path.of("no-such-dir/h.properties").toAbsolutePath()
                        + ") named by agent argument config=: no such file",
                message);
    }

    @Test
    void directoryIsNotASettingsFile() {
        assertEquals("Cannot read settings file '" + dir + "' named by agent argument config=: it is a directory",
                error("config=" + dir));
    }

    @Test
    void aFifoThatNothingWritesToCannotHoldUpTheStart() throws Exception {
        Path fifo = fifo("settings.fifo");

        assertEquals("Cannot read settings file '" + fifo + "' named by agent argument config=: "
                        + "not a regular file, and nothing to read in 2 s (a FIFO that nothing writes to?)",
                error("config=" + fifo));
        assertEquals("Cannot read settings file '/dev/zero' named by agent argument config=: larger than 1024 KiB",
                error("config=/dev/zero"));
    }

    @Test
    void aPipeFromTheShellIsReadAsAFile() throws Exception {
        Path fifo = fifo("piped.fifo");
        Thread writer = new Thread(() -> {
            try {
                Files.writeString(fifo, "port=9501\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();

        assertEquals(9501, SettingsLoader.load("config=" + fifo, Map.of(), Map.of()).get(SettingDefinitions.PORT));
        writer.join();
    }

    @Test
    void aFileOverOneMebibyteIsNotASettingsFile() throws Exception {
        Path file = dir.resolve("huge.properties");
        Files.writeString(file, "x".repeat(SettingsFile.MAX_BYTES) + "=1\n");

        assertEquals("Cannot read settings file '" + file + "' named by agent argument config=: larger than 1024 KiB",
                error("config=" + file));
    }

    @Test
    void switchedOffOutsideTheFileTheFileIsNotRead() throws Exception {
        Path fifo = fifo("off.fifo");

        Settings settings = SettingsLoader.load("enabled=false,config=" + fifo, Map.of(), Map.of());

        assertEquals(false, settings.get(SettingDefinitions.ENABLED));
        assertEquals(false, SettingsLoader.load(null, Map.of("headcount.enabled", "FALSE",
                "headcount.config", fifo.toString()), Map.of()).get(SettingDefinitions.ENABLED));
    }

    private Path fifo(String name) throws Exception {
        Path fifo = dir.resolve(name);
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        return fifo;
    }

    @Test
    void malformedFileIsAnError() throws Exception {
        Path file = dir.resolve("h.properties");
        Files.writeString(file, "port=\\uZZZZ\n");

        assertEquals("Cannot read settings file '" + file + "' named by agent argument config=: "
                        + "not a properties file: Malformed \\uxxxx encoding.",
                error("config=" + file));
    }

    @Test
    void agentArgumentWithoutKeyIsAnError() {
        assertEquals("Invalid agent argument '9000'; allowed: key=value pairs separated by commas, "
                        + "such as port=9500,exclude.paths=/health*,/internal/*",
                error("9000,port=1"));
        assertEquals("Invalid agent argument '=5'; allowed: key=value pairs separated by commas, "
                        + "such as port=9500,exclude.paths=/health*,/internal/*",
                error("=5"));
        assertEquals("Invalid agent argument 'redis://***@h'; allowed: key=value pairs separated by commas, "
                        + "such as port=9500,exclude.paths=/health*,/internal/*",
                error("redis://pw@h"));
    }

    @Test
    void keyGivenTwiceInTheAgentArgumentIsAnError() {
        assertEquals("Setting 'port' is given twice (agent argument); allowed: each key once",
                error("port=1,host=::,port=2"));
    }

    @Test
    void valuesWithLineBreaksStayOnOneLine() {
        assertEquals("Invalid value '9000\\nport=1' for setting 'port' (environment HEADCOUNT_PORT); "
                        + "allowed: an integer from 0 to 65535",
                error(null, Map.of(), Map.of("HEADCOUNT_PORT", "9000\nport=1")));
    }

    @Test
    void onlyTheWinningValueIsValidated() throws Exception {
        assertEquals(9000, SettingsLoader.load("port=9000", Map.of("headcount.port", "bad"),
                Map.of("HEADCOUNT_PORT", "worse")).get(SettingDefinitions.PORT));
    }

    @Test
    void unknownKeysFailEvenWhenOtherwiseOverridden() {
        assertTrue(error("port=9000", Map.of("headcount.prot", "1"), Map.of())
                .startsWith("Unknown setting 'prot' with value '1' (system property headcount.prot)"));
    }
}
