package io.headcount.agent.instrument;

import io.headcount.agent.bootstrap.HeaderReader;
import io.headcount.agent.bootstrap.HeadcountSink;
import io.headcount.agent.bootstrap.RequestEvent;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.RequestFacade;
import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.MimeHeaders;

/**
 * Tomcat's headers in one pass. Through the servlet API each {@code getHeader} compares every
 * header's name with the one asked for and decodes the value found through a charset decoder; the
 * advice asks for up to eleven names, most of them absent, so on Tomcat's own request objects the
 * reads cost the advice more than everything else it does. This reader walks the coyote request's
 * {@code MimeHeaders} once, picks out the names the advice needs by length and then by a
 * case-insensitive comparison of their bytes, and turns into strings only the values the event
 * keeps, as Tomcat itself would (ISO-8859-1). The request's path is read here too, for the same
 * reason: {@code getRequestURI} makes its text through a charset decoder and its buffers.
 *
 * <p>Never loaded from the agent's jar: {@link TomcatHeaderReaders} defines a copy named
 * {@link TomcatHeaderReaders#DEFINED_NAME} in the loader and package of Tomcat's
 * {@code RequestFacade}, which lets it use Tomcat's types and read the facade's protected
 * {@code request} field. Compiled against Tomcat 10.1; the types and methods it uses are the same
 * in Tomcat 9 and 11, and it reads no servlet type, so it serves javax and jakarta Tomcat alike.
 */
public final class TomcatHeaderReader extends HeaderReader {
    /** The facade's connector request; package access once the class is defined beside the facade. */
    private static final MethodHandle CONNECTOR_REQUEST = connectorRequest();

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** The names the event needs, as {@code getHeader} would be asked for them; of the last two, the one believed. */
    private static final String[] NAMES = {"DNT", "Host", "Cookie", "Referer", "Sec-GPC", "Sec-CH-UA",
        "User-Agent", "Authorization", "Sec-CH-UA-Mobile", "Sec-CH-UA-Platform", "Forwarded", "X-Forwarded-For"};
    private static final long[] DNT = wantedName(0);
    private static final long[] HOST = wantedName(1);
    private static final long[] COOKIE = wantedName(2);
    private static final long[] REFERER = wantedName(3);
    private static final long[] SEC_GPC = wantedName(4);
    private static final long[] SEC_CH_UA = wantedName(5);
    private static final long[] USER_AGENT = wantedName(6);
    private static final long[] AUTHORIZATION = wantedName(7);
    private static final long[] SEC_CH_UA_MOBILE = wantedName(8);
    private static final long[] SEC_CH_UA_PLATFORM = wantedName(9);
    private static final long[] FORWARDED = wantedName(10);
    private static final long[] X_FORWARDED_FOR = wantedName(11);

    public TomcatHeaderReader() {
    }

    private static MethodHandle connectorRequest() {
        try {
            return MethodHandles.lookup().findGetter(RequestFacade.class, "request", Request.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean read(Object facade, RequestEvent event) {
        Request request;
        try {
            request = (Request) CONNECTOR_REQUEST.invokeExact((RequestFacade) facade);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        org.apache.coyote.Request coyoteRequest = request == null ? null : request.getCoyoteRequest();
        if (coyoteRequest == null) {
            return false;
        }
        MimeHeaders headers = coyoteRequest.getMimeHeaders();
        long[] forwarding = "Forwarded".equals(HeadcountSink.forwardingHeader()) ? FORWARDED : X_FORWARDED_FOR;
        int forwardingLength = (int) forwarding[1];
        MessageBytes userAgent = null;
        MessageBytes referer = null;
        MessageBytes host = null;
        MessageBytes gpc = null;
        MessageBytes dnt = null;
        MessageBytes authorization = null;
        MessageBytes cookie = null;
        MessageBytes secChUa = null;
        MessageBytes secChUaMobile = null;
        MessageBytes secChUaPlatform = null;
        MessageBytes firstForwarding = null;
        StringBuilder moreForwarding = null;
        int count = headers.size();
        for (int i = 0; i < count; i++) {
            MessageBytes name = headers.getName(i);
            // A name the parser read is bytes, compared here as they lie; one set as a string (a
            // valve's, HTTP/2's) is compared by Tomcat.
            byte[] buffer;
            int start;
            int length;
            if (name.getType() == MessageBytes.T_BYTES) {
                ByteChunk chunk = name.getByteChunk();
                buffer = chunk.getBuffer();
                start = chunk.getStart();
                length = chunk.getLength();
            } else {
                buffer = null;
                start = 0;
                length = name.getLength();
            }
            if (length == forwardingLength && named(name, buffer, start, forwarding)) {
                if (firstForwarding == null) {
                    firstForwarding = headers.getValue(i);
                } else {
                    moreForwarding = (moreForwarding == null ? new StringBuilder() : moreForwarding)
                            .append(", ").append(text(headers.getValue(i)));
                }
                continue;
            }
            // getHeader returns a name's first line: so does each case, by keeping the first found.
            switch (length) {
                case 3:
                    if (dnt == null && named(name, buffer, start, DNT)) {
                        dnt = headers.getValue(i);
                    }
                    break;
                case 4:
                    if (host == null && named(name, buffer, start, HOST)) {
                        host = headers.getValue(i);
                    }
                    break;
                case 6:
                    if (cookie == null && named(name, buffer, start, COOKIE)) {
                        cookie = headers.getValue(i);
                    }
                    break;
                case 7:
                    if (referer == null && named(name, buffer, start, REFERER)) {
                        referer = headers.getValue(i);
                    } else if (gpc == null && named(name, buffer, start, SEC_GPC)) {
                        gpc = headers.getValue(i);
                    }
                    break;
                case 9:
                    if (secChUa == null && named(name, buffer, start, SEC_CH_UA)) {
                        secChUa = headers.getValue(i);
                    }
                    break;
                case 10:
                    if (userAgent == null && named(name, buffer, start, USER_AGENT)) {
                        userAgent = headers.getValue(i);
                    }
                    break;
                case 13:
                    if (authorization == null && named(name, buffer, start, AUTHORIZATION)) {
                        authorization = headers.getValue(i);
                    }
                    break;
                case 16:
                    if (secChUaMobile == null && named(name, buffer, start, SEC_CH_UA_MOBILE)) {
                        secChUaMobile = headers.getValue(i);
                    }
                    break;
                case 18:
                    if (secChUaPlatform == null && named(name, buffer, start, SEC_CH_UA_PLATFORM)) {
                        secChUaPlatform = headers.getValue(i);
                    }
                    break;
                default:
                    break;
            }
        }
        // From here on, what the advice's servlet API reads do, in the same order.
        String userAgentText = text(userAgent);
        String refererText = text(referer);
        String hostText = refererText == null ? null : text(host);
        String firstForwardingText = text(firstForwarding);
        String chain = firstForwardingText == null || moreForwarding == null
                ? firstForwardingText : new StringBuilder(firstForwardingText).append(moreForwarding).toString();
        boolean optedOut = HeadcountSink.respectsGpc() && isOne(gpc) || HeadcountSink.respectsDnt() && isOne(dnt);
        // Authorization's presence only: its value, a credential, is never turned into a string.
        boolean authenticated = authorization != null && authorization.getType() != MessageBytes.T_NULL
                || request.getUserPrincipal() != null
                || HeadcountSink.readsAuthCookie() && HeadcountSink.hasAuthCookie(text(cookie));
        String secChUaText = null;
        String secChUaMobileText = null;
        String secChUaPlatformText = null;
        if (userAgentText != null && userAgentText.indexOf("Chrome/") >= 0 && (secChUaText = text(secChUa)) != null) {
            secChUaMobileText = text(secChUaMobile);
            secChUaPlatformText = text(secChUaPlatform);
        }
        // getRequestURI's text, without Tomcat's charset decoder where the bytes are ISO-8859-1: a
        // servlet that never asks for the path would otherwise have the advice pay for the decoder.
        String requestUri = event.requestUri == null ? text(coyoteRequest.requestURI()) : event.requestUri;
        String contextPath = contextPath(request, coyoteRequest.requestURI());
        if (contextPath == null) {
            return false;
        }
        event.requestUri = requestUri;
        event.contextPath = contextPath;
        event.userAgent = userAgentText;
        event.referer = refererText;
        event.host = hostText;
        if (chain != null) {
            HeadcountSink.forwardingChain(event, chain);
        }
        event.optedOut = optedOut;
        event.authenticated = authenticated;
        event.secChUa = secChUaText;
        event.secChUaMobile = secChUaMobileText;
        event.secChUaPlatform = secChUaPlatformText;
        return true;
    }

    /**
     * Whether a name of the wanted length is the wanted one, ignoring case as {@code getHeader}
     * does: its bytes read where they lie, eight at a time (four for a shorter name), the last
     * word overlapping the one before; each letter with its case bit set and every other byte
     * compared exactly, so that no byte but a letter's other case matches.
     *
     * @param buffer the name's bytes, or null when Tomcat holds it as a string
     * @param wanted from {@link #wantedName}: for each word, its offset, its bytes in lower case
     *     and its case bits
     */
    private static boolean named(MessageBytes name, byte[] buffer, int start, long[] wanted) {
        if (buffer == null || wanted[1] < 4) {
            return name.equalsIgnoreCase(NAMES[(int) wanted[0]]);
        }
        boolean longWords = wanted[1] >= 8;
        for (int w = 2; w < wanted.length; w += 3) {
            int at = start + (int) wanted[w];
            long word = longWords ? (long) LONGS.get(buffer, at) : (int) INTS.get(buffer, at) & 0xffffffffL;
            if ((word | wanted[w + 2]) != wanted[w + 1]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A name as {@link #named} compares it: its index in {@link #NAMES}, its length, then for each
     * word its offset, lower-case bytes and case bits (0x20 for a letter, else 0). Words of eight
     * bytes from eight bytes on, else of four; the last ends where the name does. A name shorter
     * than four bytes has no word and is compared by Tomcat.
     */
    private static long[] wantedName(int index) {
        byte[] lower = NAMES[index].toLowerCase(Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1);
        int size = lower.length >= 8 ? 8 : 4;
        int words = lower.length < 4 ? 0 : lower.length <= size ? 1 : (lower.length + size - 1) / size;
        long[] wanted = new long[2 + 3 * words];
        wanted[0] = index;
        wanted[1] = lower.length;
        for (int w = 0; w < words; w++) {
            int offset = w == words - 1 ? Math.max(0, lower.length - size) : w * size;
            long bytes = 0;
            long caseBits = 0;
            for (int k = 0; k < size && offset + k < lower.length; k++) {
                long b = lower[offset + k] & 0xff;
                bytes |= b << (8 * k);
                caseBits |= (b >= 'a' && b <= 'z' ? 0x20L : 0) << (8 * k);
            }
            wanted[2 + 3 * w] = offset;
            wanted[3 + 3 * w] = bytes;
            wanted[4 + 3 * w] = caseBits;
        }
        return wanted;
    }

    /**
     * {@code getContextPath}'s answer: outside the root context Tomcat finds it by decoding and
     * normalizing the request's path up to the context's slashes and comparing that with the
     * context's own path, through a charset decoder, on every call. When the raw path begins with
     * the context's path as ASCII bytes followed by a slash or its end, that comparison can only
     * succeed and the answer is the context's own path; anything else (an encoded or doubled
     * character, a path parameter, a path held as text) is left to Tomcat.
     *
     * @return null when Tomcat refuses (a path that does not begin with its context's): the advice
     *     then asks through the servlet API and fails for this request as it would without the
     *     reader, which stays in use
     */
    private static String contextPath(Request request, MessageBytes uri) {
        Context context = request.getContext();
        String own = context == null ? null : context.getPath();
        if (own == null || own.isEmpty() || uri.getType() != MessageBytes.T_BYTES) {
            return tomcatsContextPath(request);
        }
        ByteChunk bytes = uri.getByteChunk();
        byte[] buffer = bytes.getBuffer();
        int start = bytes.getStart();
        int length = own.length();
        if (bytes.getLength() < length || bytes.getLength() > length && buffer[start + length] != '/') {
            return tomcatsContextPath(request);
        }
        for (int k = 0; k < length; k++) {
            char c = own.charAt(k);
            if (c >= 0x80 || buffer[start + k] != c) {
                return tomcatsContextPath(request);
            }
        }
        return own;
    }

    private static String tomcatsContextPath(Request request) {
        try {
            return request.getContextPath();
        } catch (IllegalStateException noMatch) {
            return null;
        }
    }

    private static boolean isOne(MessageBytes value) {
        return value != null && value.getLength() == 1 && "1".equals(text(value));
    }

    /** The value as {@code getHeader} gives it; without Tomcat's charset decoder when the bytes are ISO-8859-1. */
    private static String text(MessageBytes value) {
        if (value == null) {
            return null;
        }
        if (value.getType() == MessageBytes.T_BYTES) {
            ByteChunk bytes = value.getByteChunk();
            if (bytes.getCharset() == StandardCharsets.ISO_8859_1) {
                return new String(bytes.getBuffer(), bytes.getStart(), bytes.getLength(), StandardCharsets.ISO_8859_1);
            }
        }
        return value.toString();
    }
}
