package io.headcount.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.agent.bootstrap.EventQueue;
import io.headcount.agent.bootstrap.HeadcountSink;
import io.headcount.agent.bootstrap.HeaderReader;
import io.headcount.agent.bootstrap.RequestEvent;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.RequestFacade;
import org.apache.catalina.connector.Response;
import org.apache.tomcat.util.http.MimeHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one-pass reader on Tomcat's own request objects, headers set as bytes as Tomcat's HTTP/1.1
 * parser leaves them (or as strings, as its HTTP/2 code does): the real advice, run once reading
 * through the servlet API and once through the reader, must give the same event, field for field.
 */
class TomcatHeaderReaderTest {
    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    private final EventQueue queue = new EventQueue(16);
    private final Request request = new Request(new Connector());
    private final org.apache.coyote.Request coyoteRequest = new org.apache.coyote.Request();
    private final Response response = new Response();

    TomcatHeaderReaderTest() {
        request.setCoyoteRequest(coyoteRequest);
        response.setCoyoteResponse(new org.apache.coyote.Response());
        response.setRequest(request);
        request.setResponse(response);
        coyoteRequest.method().setString("GET");
        coyoteRequest.requestURI().setString("/api/users/42");
        coyoteRequest.remoteAddr().setString("203.0.113.9");
    }

    @AfterEach
    void stop() {
        HeadcountSink.readHeadersWith(null);
        HeadcountSink.install(null);
        HeadcountSink.configure(true, true, null);
    }

    @Test
    void aChromeRequestGivesTheServletApisEventField() throws Exception {
        header("Host", "shop.example.com");
        header("Connection", "keep-alive");
        header("sec-ch-ua", "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"");
        header("sec-ch-ua-mobile", "?0");
        header("sec-ch-ua-platform", "\"Windows\"");
        header("Upgrade-Insecure-Requests", "1");
        header("User-Agent", CHROME);
        header("Accept", "text/html,application/xhtml+xml");
        header("Sec-Fetch-Site", "same-origin");
        header("Referer", "https://shop.example.com/cart");
        header("Accept-Encoding", "gzip, deflate, br, zstd");
        header("Accept-Language", "en-GB,en;q=0.9");
        header("Cookie", "theme=dark; sid=abc");
        RequestEvent event = bothWays();
        assertEquals(CHROME, event.userAgent);
        assertEquals("https://shop.example.com/cart", event.referer);
        assertEquals("shop.example.com", event.host);
        assertEquals("\"Windows\"", event.secChUaPlatform);
        assertEquals("?0", event.secChUaMobile);
        assertFalse(event.optedOut);
        assertFalse(event.authenticated);
    }

    @Test
    void consentAndSignInAsTheServletApiReadsThem() throws Exception {
        header("User-Agent", FIREFOX);
        header("DNT", "1");
        header("Sec-CH-UA", "\"Google Chrome\";v=\"131\"");
        header("Authorization", "Bearer secret");
        RequestEvent event = bothWays();
        assertTrue(event.optedOut);
        assertTrue(event.authenticated);
        assertNull(event.secChUa);
        assertNull(event.host);
    }

    @Test
    void consentValuesOtherThanOneAreNoOptOut() throws Exception {
        for (String value : new String[] {"0", "1 ", "11", "", "true"}) {
            coyoteRequest.getMimeHeaders().recycle();
            header("User-Agent", FIREFOX);
            header("Sec-GPC", value);
            header("DNT", value);
            assertFalse(bothWays().optedOut, value);
        }
    }

    @Test
    void theSettingsDecideWhichConsentHeaderCounts() throws Exception {
        header("Sec-GPC", "1");
        HeadcountSink.configure(false, true, null);
        assertFalse(bothWays().optedOut);
        HeadcountSink.configure(true, false, null);
        assertTrue(bothWays().optedOut);
    }

    @Test
    void namesMatchInAnyCaseAndTheFirstLineOfANameWins() throws Exception {
        header("user-agent", "first/1.0");
        header("USER-AGENT", "second/2.0");
        header("REFERER", "https://a.example/");
        header("referer", "https://b.example/");
        header("hOsT", "a.example");
        header("sec-gpc", "1");
        RequestEvent event = bothWays();
        assertEquals("first/1.0", event.userAgent);
        assertEquals("https://a.example/", event.referer);
        assertEquals("a.example", event.host);
        assertTrue(event.optedOut);
    }

    @Test
    void aNameThatDiffersOnlyInPunctuationIsAnotherName() throws Exception {
        header("User_Agent", "underscore/1.0");
        header("User-Agent ", "space/1.0");
        header("Sec-GPC", "0");
        header("Sec_GPC", "1");
        header("X-Forwarded_For", "198.51.100.8");
        RequestEvent event = bothWays();
        assertNull(event.userAgent);
        assertFalse(event.optedOut);
        assertNull(event.xForwardedFor);
    }

    @Test
    void everyLineOfTheBelievedForwardingHeaderIsJoined() throws Exception {
        header("X-Forwarded-For", "198.51.100.8");
        header("Forwarded", "for=192.0.2.60");
        header("x-forwarded-for", "10.0.0.1, 10.0.0.2");
        header("forwarded", "for=192.0.2.61");
        RequestEvent event = bothWays();
        assertEquals("198.51.100.8, 10.0.0.1, 10.0.0.2", event.xForwardedFor);
        assertNull(event.forwarded);
        HeadcountSink.configure(true, true, null, true);
        event = bothWays();
        assertEquals("for=192.0.2.60, for=192.0.2.61", event.forwarded);
        assertNull(event.xForwardedFor);
    }

    @Test
    void thePrincipalAndTheSessionCookieSignIn() throws Exception {
        header("User-Agent", FIREFOX);
        header("Cookie", "theme=dark; JSESSIONID=7F3A");
        HeadcountSink.configure(true, true, "JSESSIONID");
        assertTrue(bothWays().authenticated);
        coyoteRequest.getMimeHeaders().recycle();
        HeadcountSink.configure(true, true, null);
        Principal ada = () -> "ada";
        request.setUserPrincipal(ada);
        assertTrue(bothWays().authenticated);
    }

    @Test
    void bytesAboveAsciiAreLatin1AsTomcatDecodesThem() throws Exception {
        byte[] agent = {'b', 'o', 't', '/', (byte) 0xE9, (byte) 0xFF, '1'};
        coyoteRequest.getMimeHeaders().addValue("User-Agent").setBytes(agent, 0, agent.length);
        assertEquals("bot/\u00e9\u00ff1", bothWays().userAgent);
    }

    @Test
    void valuesHeldAsStringsAsOnHttp2() throws Exception {
        MimeHeaders headers = coyoteRequest.getMimeHeaders();
        headers.addValue("user-agent").setString(CHROME);
        headers.addValue("referer").setString("https://news.example.org/");
        headers.addValue("sec-ch-ua").setString("\"Chromium\";v=\"131\"");
        RequestEvent event = bothWays();
        assertEquals(CHROME, event.userAgent);
        assertEquals("\"Chromium\";v=\"131\"", event.secChUa);
        assertNull(event.secChUaMobile);
    }

    @Test
    void thePathAsTomcatsParserLeavesItIsGetRequestUrisText() throws Exception {
        for (String path : new String[] {"/api/users/42", "/caf%C3%A9/../a;jsessionid=1?q=%2F", "/",
            "/\u00e9t\u00e9"}) {
            byte[] bytes = path.getBytes(StandardCharsets.ISO_8859_1);
            coyoteRequest.requestURI().setBytes(bytes, 0, bytes.length);
            assertEquals(path, adviceEvent(new TomcatHeaderReaders()).requestUri);
            // Left as bytes: the reader changes nothing that the app or a valve sees after it.
            assertEquals(org.apache.tomcat.util.buf.MessageBytes.T_BYTES, coyoteRequest.requestURI().getType());
            assertEquals(path, bothWays().requestUri);
        }
    }

    /**
     * Outside the root context, as Tomcat's mapper leaves a request mapped to {@code /shop/v1}: the
     * reader's context path is getContextPath's for paths that spell the context plainly and for
     * those it leaves to Tomcat (doubled slashes, encoded letters, path parameters, a path held as
     * text), and a path Tomcat refuses fails the request as it does without the reader, which stays
     * in use.
     */
    @Test
    void theContextPathIsGetContextPathsOutsideTheRootContext() throws Exception {
        org.apache.catalina.core.StandardContext context = new org.apache.catalina.core.StandardContext();
        context.setPath("/shop/v1");
        org.apache.catalina.core.StandardEngine engine = new org.apache.catalina.core.StandardEngine();
        org.apache.catalina.core.StandardHost host = new org.apache.catalina.core.StandardHost();
        engine.addChild(host);
        host.addChild(context);
        new org.apache.catalina.core.StandardService().setContainer(engine);
        String[][] cases = {{"/shop/v1/api/users/42", "/shop/v1"}, {"/shop/v1", "/shop/v1"},
            {"/shop/v1/", "/shop/v1"}, {"//shop/v1/x", "/shop/v1"}, {"/shop/%761/x", "/shop/%761"},
            {"/shop;a=b/v1/x", "/shop;a=b/v1"}, {"/Shop/v1/x", null}, {"/shop/v1x/y", null}};
        for (String[] c : cases) {
            byte[] bytes = c[0].getBytes(StandardCharsets.ISO_8859_1);
            coyoteRequest.requestURI().setBytes(bytes, 0, bytes.length);
            request.getMappingData().context = context;
            request.getMappingData().contextSlashCount = 2;
            if (c[1] == null) {
                assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                        () -> request.getRequest().getContextPath()).getMessage().length() > 0);
                TomcatHeaderReaders readers = new TomcatHeaderReaders();
                HeaderReader reader = readers.apply(RequestFacade.class);
                assertFalse(reader.read(request.getRequest(), new RequestEvent()), c[0]);
                assertTrue(reader.read(requestAt("/shop/v1/a", context), new RequestEvent()), c[0]);
                continue;
            }
            assertEquals(c[1], bothWays().contextPath, c[0]);
        }
        coyoteRequest.requestURI().setString("/shop/v1/as/text");
        request.getMappingData().context = context;
        request.getMappingData().contextSlashCount = 2;
        assertEquals("/shop/v1", bothWays().contextPath);
    }

    private HttpServletRequest requestAt(String uri, org.apache.catalina.Context context) {
        byte[] bytes = uri.getBytes(StandardCharsets.ISO_8859_1);
        coyoteRequest.requestURI().setBytes(bytes, 0, bytes.length);
        request.getMappingData().context = context;
        request.getMappingData().contextSlashCount = 2;
        return request.getRequest();
    }

    @Test
    void anErrorDispatchKeepsThePathTheClientAskedFor() throws Exception {
        byte[] errorPage = "/error".getBytes(StandardCharsets.ISO_8859_1);
        coyoteRequest.requestURI().setBytes(errorPage, 0, errorPage.length);
        request.setAttribute(org.apache.catalina.Globals.DISPATCHER_TYPE_ATTR, jakarta.servlet.DispatcherType.ERROR);
        request.setAttribute(jakarta.servlet.RequestDispatcher.ERROR_REQUEST_URI, "/missing");
        RequestEvent event = bothWays();
        assertEquals("/missing", event.requestUri);
        assertTrue(event.containerAnswered);
    }

    /**
     * Names near the ones read: each a name the advice reads, or one of the same length, with its
     * letters' case flipped at random and, half the time, one byte changed to any other, among
     * them the bytes one case bit away from a letter or a dash. Both ways must agree on every one.
     */
    @Test
    void namesNearTheOnesReadMatchExactlyAsGetHeaderMatchesThem() throws Exception {
        String[] names = {"DNT", "Host", "Cookie", "Referer", "Sec-GPC", "Sec-CH-UA", "User-Agent", "Authorization",
            "Sec-CH-UA-Mobile", "Sec-CH-UA-Platform", "X-Forwarded-For", "Forwarded", "Connection", "Accept"};
        java.util.Random random = new java.util.Random(14);
        for (int round = 0; round < 3000; round++) {
            coyoteRequest.getMimeHeaders().recycle();
            for (int h = 0; h < 4; h++) {
                char[] name = names[random.nextInt(names.length)].toCharArray();
                for (int i = 0; i < name.length; i++) {
                    if (Character.isLetter(name[i]) && random.nextBoolean()) {
                        name[i] ^= 0x20;
                    }
                }
                if (random.nextBoolean()) {
                    int at = random.nextInt(name.length);
                    int[] near = {name[at] ^ 0x20, name[at] ^ 0x01, '-' ^ 0x20, '_', '^', '~', 0x0D, 0x80 | name[at],
                        random.nextInt(256)};
                    name[at] = (char) (near[random.nextInt(near.length)] & 0xFF);
                }
                header(new String(name), "v" + round + "." + h);
            }
            if (round % 2 == 1) {
                HeadcountSink.configure(true, true, "sid", round % 4 == 1);
            }
            bothWays();
            HeadcountSink.configure(true, true, null);
        }
    }

    /** As the parser leaves them: each name in the middle of the one buffer of the whole request. */
    @Test
    void namesAreReadWhereTheyLieInTheRequestsBuffer() throws Exception {
        byte[] wire = ("GET / HTTP/1.1\r\nuser-AGENT: " + FIREFOX + "\r\nDNT: 1\r\nSEC-ch-UA-Platform: \"Linux\"\r\n"
                + "X-Forwarded-FOR: 198.51.100.8\r\nHost\r\n").getBytes(StandardCharsets.ISO_8859_1);
        String text = new String(wire, StandardCharsets.ISO_8859_1);
        for (String name : new String[] {"user-AGENT", "DNT", "SEC-ch-UA-Platform", "X-Forwarded-FOR", "Host"}) {
            int at = text.indexOf(name);
            coyoteRequest.getMimeHeaders().addValue(wire, at, name.length()).setString(name.equals("DNT") ? "1" : "v" + at);
        }
        RequestEvent event = bothWays();
        assertEquals("v16", event.userAgent);
        assertTrue(event.optedOut);
        assertEquals("v" + text.indexOf("X-Forwarded-FOR"), event.xForwardedFor);
        assertNull(event.secChUaPlatform);
    }

    @Test
    void aRequestWithoutHeadersLeavesEveryFieldEmpty() throws Exception {
        RequestEvent event = bothWays();
        assertNull(event.userAgent);
        assertNull(event.referer);
        assertFalse(event.authenticated);
    }

    @Test
    void theReaderIsDefinedBesideTheFacadeAndOtherClassesHaveNone() {
        TomcatHeaderReaders readers = new TomcatHeaderReaders();
        HeaderReader reader = readers.apply(RequestFacade.class);
        assertNotNull(reader);
        assertEquals(TomcatHeaderReaders.DEFINED_NAME, reader.getClass().getName());
        assertEquals(RequestFacade.class.getClassLoader(), reader.getClass().getClassLoader());
        assertEquals(reader.getClass(), new TomcatHeaderReaders().apply(RequestFacade.class).getClass());
        assertNull(readers.apply(Request.class));
        HeadcountSink.readHeadersWith(readers);
        HeadcountSink.install(queue);
        assertTrue(HeadcountSink.readHeaders(request.getRequest(), new RequestEvent()));
        assertFalse(HeadcountSink.readHeaders("not a request", new RequestEvent()));
    }

    @Test
    void aTomcatWhoseFacadeHasNoRequestFieldGetsNoReader() throws Exception {
        // A facade of the same name without the field the reader reads: as a future Tomcat might be.
        Class<?> otherFacade = new ByteBuddy().subclass(Object.class).name(TomcatHeaderReaders.FACADE).make()
                .load(getClass().getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST).getLoaded();
        assertNotEquals(RequestFacade.class, otherFacade);
        assertNull(new TomcatHeaderReaders().apply(otherFacade));
    }

    @Test
    void aReaderThatFailsOnceIsNotAskedAgainAndTheEventIsLeftAlone() {
        AtomicInteger reads = new AtomicInteger();
        HeadcountSink.readHeadersWith(type -> new HeaderReader() {
            @Override
            public boolean read(Object request, RequestEvent event) {
                reads.incrementAndGet();
                throw new NoSuchMethodError("org.apache.coyote.Request.getMimeHeaders()");
            }
        });
        HeadcountSink.install(queue);
        long errors = HeadcountSink.adviceErrors();
        // A class of its own: readers are made once per class, and this test's must be new.
        Object request = new Object() { };
        assertFalse(HeadcountSink.readHeaders(request, new RequestEvent()));
        assertFalse(HeadcountSink.readHeaders(request, new RequestEvent()));
        assertEquals(1, reads.get());
        assertEquals(errors + 1, HeadcountSink.adviceErrors());
    }

    @Test
    void diagnosticUserAgentOnlyReadsThroughTheServletApi() {
        HeadcountSink.readHeadersWith(new TomcatHeaderReaders());
        HeadcountSink.install(queue, false);
        assertFalse(HeadcountSink.readHeaders(request.getRequest(), new RequestEvent()));
    }

    private void header(String name, String value) {
        byte[] nameBytes = name.getBytes(StandardCharsets.ISO_8859_1);
        byte[] valueBytes = value.getBytes(StandardCharsets.ISO_8859_1);
        coyoteRequest.getMimeHeaders().addValue(nameBytes, 0, nameBytes.length)
                .setBytes(valueBytes, 0, valueBytes.length);
    }

    /** The real advice's event through the servlet API and through the reader; asserts they are equal. */
    private RequestEvent bothWays() {
        RequestEvent servletApi = adviceEvent(null);
        RequestEvent oneReader = adviceEvent(new TomcatHeaderReaders());
        assertEquals(fields(servletApi), fields(oneReader));
        return oneReader;
    }

    private RequestEvent adviceEvent(TomcatHeaderReaders readers) {
        HeadcountSink.readHeadersWith(readers);
        HeadcountSink.install(queue);
        long errors = HeadcountSink.adviceErrors();
        HttpServletRequest facade = request.getRequest();
        HttpServletResponse responseFacade = response.getResponse();
        JakartaServletAdvice.enter(facade);
        JakartaServletAdvice.exit(facade, responseFacade, null);
        assertEquals(errors, HeadcountSink.adviceErrors());
        RequestEvent event = queue.poll();
        assertNotNull(event);
        assertNull(queue.poll());
        return event;
    }

    private static List<Object> fields(RequestEvent event) {
        List<Object> fields = new ArrayList<>();
        for (java.lang.reflect.Field field : RequestEvent.class.getFields()) {
            if (!java.lang.reflect.Modifier.isStatic(field.getModifiers()) && !field.getName().equals("durationNanos")) {
                try {
                    fields.add(field.getName() + "=" + field.get(event));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return fields;
    }
}
