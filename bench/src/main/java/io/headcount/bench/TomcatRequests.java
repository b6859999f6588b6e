package io.headcount.bench;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.tomcat.util.http.MimeHeaders;

/**
 * Tomcat's own request and response objects (Tomcat 10.1, the version the load benchmark runs),
 * not a model of them: a connector {@code Request} over a coyote request whose method, URI and
 * headers are set as bytes, as Tomcat's HTTP parser leaves them, and its peer address as a string,
 * as Tomcat's processor sets it from the socket; the servlet receives its facade. Between two
 * requests both are recycled as Tomcat's processor does, and the next request's method, URI, peer
 * address and headers are set again; the servlet's baseline ({@code plain}) pays for that too.
 *
 * <p>One pair per request thread, as in Tomcat; the requests cycle through {@link TrafficMix}.
 * With {@code -Dheadcount.bench.context=/shop} each request is mapped, as Tomcat's mapper maps it,
 * to a context of that path, its URI under it: a web app deployed outside the root context.
 */
final class TomcatRequests {
    /** Where the benchmark's servlet finds the status to answer with. */
    static final String STATUS_ATTRIBUTE = "io.headcount.bench.status";

    private final Request request;
    private final org.apache.coyote.Request coyoteRequest = new org.apache.coyote.Request();
    private final Response response = new Response();
    private final org.apache.coyote.Response coyoteResponse = new org.apache.coyote.Response();
    private final Wire[] wires;
    /** The context every request is mapped to, or null for the root context, which maps nothing. */
    private final org.apache.catalina.Context context = context(System.getProperty("headcount.bench.context", ""));
    private int next;

    /** One request as bytes on the wire: what the parser would have set. */
    private static final class Wire {
        final byte[] method;
        final byte[] uri;
        final String remoteAddr;
        final byte[][] headerNames;
        final byte[][] headerValues;
        final Integer status;

        Wire(TrafficMix.Request r, String contextPath) {
            method = bytes(r.method);
            uri = bytes(contextPath + r.requestUri);
            remoteAddr = r.remoteAddr;
            String[][] headers = TomcatLikeRequest.browserHeaders(r);
            headerNames = new byte[headers.length][];
            headerValues = new byte[headers.length][];
            for (int i = 0; i < headers.length; i++) {
                headerNames[i] = bytes(headers[i][0]);
                headerValues[i] = bytes(headers[i][1]);
            }
            status = r.status;
        }

        private static byte[] bytes(String text) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    TomcatRequests(TrafficMix.Request[] mix) {
        request = new Request(new Connector());
        request.setCoyoteRequest(coyoteRequest);
        response.setCoyoteResponse(coyoteResponse);
        response.setRequest(request);
        request.setResponse(response);
        wires = new Wire[mix.length];
        for (int i = 0; i < mix.length; i++) {
            wires[i] = new Wire(mix[i], context == null ? "" : context.getPath());
        }
    }

    /** Recycles the request and response and fills in the next request of the mix; returns its facade. */
    HttpServletRequest next() {
        request.recycle();
        coyoteRequest.recycle();
        response.recycle();
        coyoteResponse.recycle();
        Wire wire = wires[next++ % wires.length];
        coyoteRequest.method().setBytes(wire.method, 0, wire.method.length);
        coyoteRequest.requestURI().setBytes(wire.uri, 0, wire.uri.length);
        if (context != null) {
            request.getMappingData().context = context;
            request.getMappingData().contextSlashCount = 1;
        }
        // A string, not bytes: Tomcat's processor sets the peer's address from the socket's.
        coyoteRequest.remoteAddr().setString(wire.remoteAddr);
        MimeHeaders headers = coyoteRequest.getMimeHeaders();
        for (int i = 0; i < wire.headerNames.length; i++) {
            headers.addValue(wire.headerNames[i], 0, wire.headerNames[i].length)
                    .setBytes(wire.headerValues[i], 0, wire.headerValues[i].length);
        }
        coyoteRequest.setAttribute(STATUS_ATTRIBUTE, wire.status);
        return request.getRequest();
    }

    /** A context of one segment's path in a host, engine and service, as getContextPath needs; null for "". */
    private static org.apache.catalina.Context context(String path) {
        if (path.isEmpty()) {
            return null;
        }
        if (path.charAt(0) != '/' || path.indexOf('/', 1) >= 0) {
            throw new IllegalArgumentException("headcount.bench.context is one segment such as /shop: " + path);
        }
        org.apache.catalina.core.StandardContext context = new org.apache.catalina.core.StandardContext();
        context.setPath(path);
        org.apache.catalina.core.StandardEngine engine = new org.apache.catalina.core.StandardEngine();
        org.apache.catalina.core.StandardHost host = new org.apache.catalina.core.StandardHost();
        engine.addChild(host);
        host.addChild(context);
        new org.apache.catalina.core.StandardService().setContainer(engine);
        return context;
    }

    /** The response facade of the request {@link #next()} returned. */
    HttpServletResponse response() {
        return response.getResponse();
    }
}
