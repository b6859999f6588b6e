package io.headcount.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A reproducible stream of requests shaped like a small shop's traffic: returning visitors (each
 * with one address and one User-Agent, a few of them very busy), JSON API paths with numeric and
 * UUID IDs, pages, static assets, scanner probes that end in 404, excluded health checks, and
 * Referer headers that are absent, internal or from a few dozen outside sites.
 *
 * <p>The same seed always gives the same requests, so runs compare like with like.
 */
public final class TrafficMix {
    public static final String HOST = "shop.example.com";

    private static final String[] EXTERNAL_REFERRERS = {
        "https://www.google.com/", "https://www.google.de/", "https://www.bing.com/search?q=shop",
        "https://duckduckgo.com/", "https://t.co/", "https://www.facebook.com/", "https://l.facebook.com/l.php",
        "https://www.reddit.com/r/deals/comments/", "https://news.ycombinator.com/item?id=", "https://lobste.rs/s/",
        "https://www.linkedin.com/feed/", "https://www.instagram.com/", "https://www.youtube.com/watch?v=",
        "https://github.com/", "https://stackoverflow.com/questions/", "https://mail.google.com/mail/u/0/",
        "https://outlook.live.com/mail/0/", "https://search.yahoo.com/search?p=", "https://yandex.ru/search/?text=",
        "https://www.baidu.com/s?wd=", "https://www.pinterest.com/pin/", "https://medium.com/@someone/",
        "https://dev.to/", "https://www.producthunt.com/posts/", "https://slack.com/", "https://teams.microsoft.com/",
        "android-app://com.google.android.gm/", "https://www.ecosia.org/search?q=", "https://search.brave.com/search?q=",
        "https://www.tiktok.com/", "https://www.twitch.tv/", "https://discord.com/channels/",
        "https://blog.example.org/posts/", "https://partner-one.example.net/", "https://partner-two.example.net/deals",
        "https://www.amazon.com/", "https://www.ebay.com/itm/", "https://www.wikipedia.org/",
        "https://de.wikipedia.org/wiki/", "https://en.wikipedia.org/wiki/",
    };
    private static final String[] PROBES = {
        "/wp-login.php", "/.env", "/admin/config.php", "/phpmyadmin/index.php", "/.git/config",
        "/xmlrpc.php", "/cgi-bin/luci", "/actuator/env", "/vendor/phpunit/eval-stdin.php", "/boaform/admin/formLogin",
    };

    private final SplittableRandom random;
    private final List<String> userAgents;
    private final Visitor[] visitors;
    private final String[] slugs;
    private final String[] assets;

    /** One visitor: the address the request comes from, and the one browser it uses. */
    private static final class Visitor {
        final String address;
        final String userAgent;
        /** Whether it arrives through the trusted local reverse proxy (X-Forwarded-For). */
        final boolean proxied;

        Visitor(String address, String userAgent, boolean proxied) {
            this.address = address;
            this.userAgent = userAgent;
            this.proxied = proxied;
        }
    }

    /** The raw values the container hands over for one request, as the advice would read them. */
    public static final class Request {
        public final String method;
        public final String requestUri;
        public final String contextPath;
        public final String route;
        public final String userAgent;
        public final String referer;
        public final String host;
        public final String remoteAddr;
        public final String forwarded;
        public final String xForwardedFor;
        public final int status;
        public final long durationNanos;

        Request(String method, String requestUri, String userAgent, String referer, String remoteAddr,
                String xForwardedFor, int status, long durationNanos) {
            this.method = method;
            this.requestUri = requestUri;
            this.contextPath = "";
            this.route = null;
            this.userAgent = userAgent;
            this.referer = referer;
            this.host = HOST;
            this.remoteAddr = remoteAddr;
            this.forwarded = null;
            this.xForwardedFor = xForwardedFor;
            this.status = status;
            this.durationNanos = durationNanos;
        }
    }

    /**
     * @param distinctUserAgents how many different User-Agents the visitors use
     * @param visitorCount how many different visitors (address and User-Agent) send requests
     */
    public TrafficMix(int distinctUserAgents, int visitorCount, long seed) {
        this.random = new SplittableRandom(seed);
        this.userAgents = UserAgents.distinct(distinctUserAgents, seed);
        this.visitors = new Visitor[visitorCount];
        for (int i = 0; i < visitorCount; i++) {
            // Every User-Agent of the pool has a visitor, so the pool size is what the cache sees; the
            // busiest visitors (low indexes) use the common browsers, and beyond the pool most
            // visitors use one of the common ones too, the rest the long tail.
            String userAgent = i < userAgents.size() ? userAgents.get(i) : userAgents.get(skewed(userAgents.size(), 3));
            visitors[i] = new Visitor(randomAddress(), userAgent, random.nextInt(10) < 3);
        }
        this.slugs = new String[120];
        for (int i = 0; i < slugs.length; i++) {
            slugs[i] = "summer-sale-" + Integer.toString(i * 7919 % 100_000, 36) + "-collection";
        }
        this.assets = new String[] {"/static/app.3f9a1c.js", "/static/app.3f9a1c.css", "/static/vendor.81be02.js",
            "/static/logo.svg", "/static/fonts/inter.woff2"};
    }

    /** The User-Agents the visitors were given, common ones first. */
    public List<String> userAgents() {
        return userAgents;
    }

    public Request[] next(int count) {
        Request[] requests = new Request[count];
        for (int i = 0; i < count; i++) {
            requests[i] = next();
        }
        return requests;
    }

    public Request next() {
        Visitor visitor = visitors[skewed(visitors.length, 2)];
        int kind = random.nextInt(1000);
        String method = "GET";
        int status = 200;
        String path;
        if (kind < 80) {
            path = "/";
        } else if (kind < 330) {
            path = "/api/users/" + (1 + random.nextInt(1_000_000));
        } else if (kind < 430) {
            path = "/api/orders/" + new UUID(random.nextLong(), random.nextLong());
        } else if (kind < 510) {
            path = "/api/products/" + (1 + random.nextInt(50_000)) + "/reviews";
        } else if (kind < 640) {
            path = "/products/" + slugs[skewed(slugs.length, 2)];
        } else if (kind < 800) {
            path = assets[random.nextInt(assets.length)];
            status = random.nextInt(3) == 0 ? 304 : 200;
        } else if (kind < 850) {
            path = "/api/orders";
            method = "POST";
            status = random.nextInt(20) == 0 ? 422 : 201;
        } else if (kind < 900) {
            path = "/search";
        } else if (kind < 930) {
            path = "/cart";
            method = random.nextInt(4) == 0 ? "DELETE" : "PUT";
        } else if (kind < 950) {
            path = "/health";
        } else if (kind < 960) {
            path = "/";
            method = "HEAD";
        } else if (kind < 990) {
            path = PROBES[random.nextInt(PROBES.length)];
            status = 404;
        } else {
            path = "/api/users/" + (1 + random.nextInt(1_000_000));
            status = 500;
        }
        return new Request(method, path, visitor.userAgent, referer(), visitor.proxied ? "127.0.0.1" : visitor.address,
                visitor.proxied ? visitor.address : null, status, 200_000L + random.nextLong(50_000_000L));
    }

    private String referer() {
        int kind = random.nextInt(100);
        if (kind < 45) {
            return null;
        }
        if (kind < 75) {
            return "https://" + HOST + "/products/" + slugs[random.nextInt(slugs.length)];
        }
        String site = EXTERNAL_REFERRERS[skewed(EXTERNAL_REFERRERS.length, 2)];
        return site.endsWith("=") || site.endsWith("/") ? site + Integer.toString(random.nextInt(1 << 20), 36) : site;
    }

    private String randomAddress() {
        if (random.nextInt(10) == 0) {
            return String.format("2001:db8:%x:%x:%x:%x:%x:%x", random.nextInt(1 << 16), random.nextInt(1 << 16),
                    random.nextInt(1 << 16), random.nextInt(1 << 16), random.nextInt(1 << 16), random.nextInt(1 << 16));
        }
        return (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                + (1 + random.nextInt(254));
    }

    /** An index below {@code size} where small ones are much more likely: popularity's long tail. */
    private int skewed(int size, int power) {
        return (int) (size * Math.pow(random.nextDouble(), power));
    }

    /**
     * Everything random: what an attacker who wants to fill the agent's memory would send. Paths,
     * referrer hosts, User-Agents (browser-like, tool-like, bot-like and garbage), methods and
     * client addresses (direct, IPv6, and through the trusted local proxy with a forged
     * X-Forwarded-For) are new on almost every request.
     */
    public static Request attack(SplittableRandom random) {
        String path = "/" + token(random) + (random.nextBoolean() ? "/" + token(random) : "/" + random.nextInt(1_000_000));
        String referer;
        switch (random.nextInt(4)) {
            case 0: referer = null; break;
            case 1: referer = "https://" + HOST + "/" + token(random); break;
            case 2: referer = token(random) + ":" + token(random); break;
            default: referer = "https://" + token(random) + "." + token(random).substring(0, 3) + "/" + token(random);
        }
        String userAgent;
        switch (random.nextInt(5)) {
            case 0:
                userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) " + token(random)
                        + "/" + random.nextInt(200) + ".0 Chrome/" + random.nextInt(200) + ".0.0.0 Safari/537.36";
                break;
            case 1:
                userAgent = token(random) + "/" + random.nextInt(10) + "." + random.nextInt(100);
                break;
            case 2:
                userAgent = "Mozilla/5.0 (compatible; " + token(random) + "bot/1." + random.nextInt(10) + "; +https://"
                        + token(random) + ".example/bot)";
                break;
            case 3:
                userAgent = garbage(random, 1 + random.nextInt(300));
                break;
            default:
                userAgent = "Mozilla/5.0 (" + token(random) + "; " + token(random) + ") " + token(random);
        }
        String address;
        String forwardedFor = null;
        int route = random.nextInt(10);
        if (route < 2) {
            address = String.format("2001:db8:%x:%x:%x:%x:%x:%x", random.nextInt(1 << 16), random.nextInt(1 << 16),
                    random.nextInt(1 << 16), random.nextInt(1 << 16), random.nextInt(1 << 16), random.nextInt(1 << 16));
        } else {
            address = ipv4(random);
        }
        if (route >= 7) {
            forwardedFor = address + ", " + ipv4(random);
            address = "127.0.0.1";
        } else if (route == 6) {
            forwardedFor = ipv4(random);
        }
        String[] methods = {"GET", "GET", "GET", "POST", "PUT", "PROPFIND", token(random).toUpperCase(java.util.Locale.ROOT)};
        int[] statuses = {200, 200, 200, 201, 301, 404, 500, 100 + random.nextInt(500)};
        return new Request(methods[random.nextInt(methods.length)], path, userAgent, referer, address,
                forwardedFor, statuses[random.nextInt(statuses.length)], random.nextLong(1_000_000_000L));
    }

    private static String token(SplittableRandom random) {
        return Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }

    private static String ipv4(SplittableRandom random) {
        return (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                + (1 + random.nextInt(254));
    }

    private static String garbage(SplittableRandom random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) (32 + random.nextInt(95));
        }
        return new String(chars);
    }

    /** The distinct values a list of requests carries in one field, for the benchmark's log. */
    static int distinct(List<String> values) {
        return new java.util.HashSet<>(values).size();
    }

    /** For the log: how many distinct User-Agents, addresses and endpoint-like paths a sample holds. */
    public static String describe(Request[] requests) {
        List<String> agents = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (Request r : requests) {
            agents.add(r.userAgent);
            addresses.add(r.xForwardedFor != null ? r.xForwardedFor : r.remoteAddr);
        }
        return requests.length + " requests, " + distinct(agents) + " distinct User-Agents, "
                + distinct(addresses) + " distinct client addresses";
    }
}
