package io.headcount.agent.instrument;

import io.headcount.agent.bootstrap.HeaderReader;
import io.headcount.agent.bootstrap.HeadcountSink;
import io.headcount.agent.bootstrap.RequestEvent;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
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
        String forwarding = HeadcountSink.forwardingHeader();
        int forwardingLength = forwarding.length();
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
            int length = name.getLength();
            if (length == forwardingLength && name.equalsIgnoreCase(forwarding)) {
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
                    if (dnt == null && name.equalsIgnoreCase("DNT")) {
                        dnt = headers.getValue(i);
                    }
                    break;
                case 4:
                    if (host == null && name.equalsIgnoreCase("Host")) {
                        host = headers.getValue(i);
                    }
                    break;
                case 6:
                    if (cookie == null && name.equalsIgnoreCase("Cookie")) {
                        cookie = headers.getValue(i);
                    }
                    break;
                case 7:
                    if (referer == null && name.equalsIgnoreCase("Referer")) {
                        referer = headers.getValue(i);
                    } else if (gpc == null && name.equalsIgnoreCase("Sec-GPC")) {
                        gpc = headers.getValue(i);
                    }
                    break;
                case 9:
                    if (secChUa == null && name.equalsIgnoreCase("Sec-CH-UA")) {
                        secChUa = headers.getValue(i);
                    }
                    break;
                case 10:
                    if (userAgent == null && name.equalsIgnoreCase("User-Agent")) {
                        userAgent = headers.getValue(i);
                    }
                    break;
                case 13:
                    if (authorization == null && name.equalsIgnoreCase("Authorization")) {
                        authorization = headers.getValue(i);
                    }
                    break;
                case 16:
                    if (secChUaMobile == null && name.equalsIgnoreCase("Sec-CH-UA-Mobile")) {
                        secChUaMobile = headers.getValue(i);
                    }
                    break;
                case 18:
                    if (secChUaPlatform == null && name.equalsIgnoreCase("Sec-CH-UA-Platform")) {
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
        event.requestUri = requestUri;
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
