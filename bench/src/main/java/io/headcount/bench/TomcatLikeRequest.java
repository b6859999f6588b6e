package io.headcount.bench;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A request that costs what Tomcat's does for the calls the advice makes: headers are kept as
 * bytes and looked up by a case-insensitive scan, a header or the URI becomes a {@code String}
 * on its first read in a request and is cached until {@link #recycle()}, and attributes live in
 * a {@code ConcurrentHashMap}. Everything the advice does not call throws.
 *
 * <p>A browser's fetch of a JSON endpoint carries about a dozen headers; the advice asks for
 * up to ten: four of them ({@code X-Forwarded-For} without a proxy,
 * {@code Sec-GPC}, {@code DNT} and {@code Authorization}) are absent and cost a full scan, as in
 * Tomcat, and the three client hints are read for the User-Agents with a {@code Chrome/} token.
 */
public final class TomcatLikeRequest implements HttpServletRequest {
    private final String method;
    private final int status;
    private final byte[] uriBytes;
    private final String contextPath;
    private final String remoteAddr;
    private final byte[][] headerNames;
    private final byte[][] headerValues;
    private final String[] headerStrings;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private String uri;

    public TomcatLikeRequest(TrafficMix.Request r) {
        this.method = r.method;
        this.status = r.status;
        this.uriBytes = r.requestUri.getBytes(StandardCharsets.ISO_8859_1);
        this.contextPath = r.contextPath;
        this.remoteAddr = r.remoteAddr;
        String[][] headers = browserHeaders(r);
        this.headerNames = new byte[headers.length][];
        this.headerValues = new byte[headers.length][];
        for (int i = 0; i < headers.length; i++) {
            headerNames[i] = headers[i][0].getBytes(StandardCharsets.ISO_8859_1);
            headerValues[i] = headers[i][1].getBytes(StandardCharsets.ISO_8859_1);
        }
        this.headerStrings = new String[headers.length];
    }

    /** The headers, name and value, of a Chrome fetch of the mix's request (those it lacks left out). */
    static String[][] browserHeaders(TrafficMix.Request r) {
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"host", r.host});
        headers.add(new String[] {"connection", "keep-alive"});
        headers.add(new String[] {"sec-ch-ua-platform", "\"Windows\""});
        headers.add(new String[] {"user-agent", r.userAgent});
        headers.add(new String[] {"accept", "application/json, text/plain, */*"});
        headers.add(new String[] {"sec-ch-ua", "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\""});
        headers.add(new String[] {"sec-ch-ua-mobile", "?0"});
        headers.add(new String[] {"sec-fetch-site", "same-origin"});
        headers.add(new String[] {"sec-fetch-mode", "cors"});
        headers.add(new String[] {"sec-fetch-dest", "empty"});
        headers.add(new String[] {"referer", r.referer});
        headers.add(new String[] {"accept-encoding", "gzip, deflate, br, zstd"});
        headers.add(new String[] {"accept-language", "en-GB,en-US;q=0.9,en;q=0.8,de;q=0.7"});
        headers.add(new String[] {"cookie", "session=7f3c2a9e0b1d4c6f8a5e3b2d1c0f9e8a; theme=dark"});
        headers.add(new String[] {"x-forwarded-for", r.xForwardedFor});
        headers.add(new String[] {"forwarded", r.forwarded});
        headers.removeIf(header -> header[1] == null);
        return headers.toArray(new String[0][]);
    }

    /** The status the benchmark's servlet answers this request with. */
    public int status() {
        return status;
    }

    /** What Tomcat does between two requests on the same object. */
    public void recycle() {
        uri = null;
        Arrays.fill(headerStrings, null);
        attributes.clear();
    }

    @Override
    public String getHeader(String name) {
        for (int i = 0; i < headerNames.length; i++) {
            if (equalsIgnoreCase(headerNames[i], name)) {
                String value = headerStrings[i];
                if (value == null) {
                    value = new String(headerValues[i], StandardCharsets.ISO_8859_1);
                    headerStrings[i] = value;
                }
                return value;
            }
        }
        return null;
    }

    /**
     * Tomcat's {@code ByteChunk.equalsIgnoreCase}: lengths first, then both sides lowered through a
     * 256-entry ASCII table ({@code Ascii.toLower}), not {@code Character.toLowerCase}, which costs
     * several times as much per character and made every header look-up here dearer than Tomcat's.
     */
    private static boolean equalsIgnoreCase(byte[] bytes, String text) {
        if (bytes.length != text.length()) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (toLower(bytes[i]) != toLower(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] LOWER = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            LOWER[i] = (byte) (i >= 'A' && i <= 'Z' ? i + ('a' - 'A') : i);
        }
    }

    /** As Tomcat's {@code Ascii.toLower(int)}: the low byte only, through the table. */
    private static int toLower(int c) {
        return LOWER[c & 0xff] & 0xff;
    }

    @Override
    public String getMethod() {
        return method;
    }

    @Override
    public String getRequestURI() {
        String value = uri;
        if (value == null) {
            value = new String(uriBytes, StandardCharsets.ISO_8859_1);
            uri = value;
        }
        return value;
    }

    @Override
    public String getContextPath() {
        return contextPath;
    }

    @Override
    public String getRemoteAddr() {
        return remoteAddr;
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public void removeAttribute(String name) {
        attributes.remove(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return Collections.enumeration(attributes.keySet());
    }

    @Override
    public DispatcherType getDispatcherType() {
        return DispatcherType.REQUEST;
    }

    @Override
    public boolean isAsyncStarted() {
        return false;
    }

    @Override
    public long getDateHeader(String name) {
        return -1;
    }

    @Override
    public String getProtocol() {
        return "HTTP/1.1";
    }

    /**
     * Every line of a header, as Tomcat's {@code MimeHeaders.values} gives them: a new enumeration
     * on every call, even for an absent header, that finds each next line by a further scan.
     */
    @Override
    public Enumeration<String> getHeaders(String name) {
        return new Enumeration<>() {
            private int next = find(0);

            private int find(int from) {
                for (int i = from; i < headerNames.length; i++) {
                    if (equalsIgnoreCase(headerNames[i], name)) {
                        return i;
                    }
                }
                return -1;
            }

            @Override
            public boolean hasMoreElements() {
                return next >= 0;
            }

            @Override
            public String nextElement() {
                String value = headerStrings[next];
                if (value == null) {
                    value = new String(headerValues[next], StandardCharsets.ISO_8859_1);
                    headerStrings[next] = value;
                }
                next = find(next + 1);
                return value;
            }
        };
    }

    private static UnsupportedOperationException unused() {
        return new UnsupportedOperationException("not called by the advice or HttpServlet.service");
    }

    // Not called by the advice or by HttpServlet's GET dispatch.

    @Override public String getAuthType() { throw unused(); }
    @Override public Cookie[] getCookies() { throw unused(); }
    @Override public Enumeration<String> getHeaderNames() { throw unused(); }
    @Override public int getIntHeader(String name) { throw unused(); }
    @Override public String getPathInfo() { throw unused(); }
    @Override public String getPathTranslated() { throw unused(); }
    @Override public String getQueryString() { throw unused(); }
    @Override public String getRemoteUser() { throw unused(); }
    @Override public boolean isUserInRole(String role) { throw unused(); }
    /** No one signed in: Tomcat's answer is a field read. */
    @Override public Principal getUserPrincipal() { return null; }
    @Override public String getRequestedSessionId() { throw unused(); }
    @Override public StringBuffer getRequestURL() { throw unused(); }
    @Override public String getServletPath() { throw unused(); }
    @Override public HttpSession getSession(boolean create) { throw unused(); }
    @Override public HttpSession getSession() { throw unused(); }
    @Override public String changeSessionId() { throw unused(); }
    @Override public boolean isRequestedSessionIdValid() { throw unused(); }
    @Override public boolean isRequestedSessionIdFromCookie() { throw unused(); }
    @Override public boolean isRequestedSessionIdFromURL() { throw unused(); }
    @Override public boolean authenticate(HttpServletResponse response) { throw unused(); }
    @Override public void login(String username, String password) { throw unused(); }
    @Override public void logout() { throw unused(); }
    @Override public Collection<Part> getParts() { throw unused(); }
    @Override public Part getPart(String name) { throw unused(); }
    @Override public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) { throw unused(); }
    @Override public String getCharacterEncoding() { throw unused(); }
    @Override public void setCharacterEncoding(String env) { throw unused(); }
    @Override public int getContentLength() { throw unused(); }
    @Override public long getContentLengthLong() { throw unused(); }
    @Override public String getContentType() { throw unused(); }
    @Override public ServletInputStream getInputStream() { throw unused(); }
    @Override public String getParameter(String name) { throw unused(); }
    @Override public Enumeration<String> getParameterNames() { throw unused(); }
    @Override public String[] getParameterValues(String name) { throw unused(); }
    @Override public Map<String, String[]> getParameterMap() { throw unused(); }
    @Override public String getScheme() { throw unused(); }
    @Override public String getServerName() { throw unused(); }
    @Override public int getServerPort() { throw unused(); }
    @Override public BufferedReader getReader() { throw unused(); }
    @Override public String getRemoteHost() { throw unused(); }
    @Override public Locale getLocale() { throw unused(); }
    @Override public Enumeration<Locale> getLocales() { throw unused(); }
    @Override public boolean isSecure() { throw unused(); }
    @Override public RequestDispatcher getRequestDispatcher(String path) { throw unused(); }
    @Override public int getRemotePort() { throw unused(); }
    @Override public String getLocalName() { throw unused(); }
    @Override public String getLocalAddr() { throw unused(); }
    @Override public int getLocalPort() { throw unused(); }
    @Override public ServletContext getServletContext() { throw unused(); }
    @Override public AsyncContext startAsync() { throw unused(); }
    @Override public AsyncContext startAsync(jakarta.servlet.ServletRequest request, ServletResponse response) { throw unused(); }
    @Override public boolean isAsyncSupported() { throw unused(); }
    @Override public AsyncContext getAsyncContext() { throw unused(); }
    @Override public String getRequestId() { throw unused(); }
    @Override public String getProtocolRequestId() { throw unused(); }
    @Override public ServletConnection getServletConnection() { throw unused(); }
}
