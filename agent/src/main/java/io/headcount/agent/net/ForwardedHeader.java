package io.headcount.agent.net;

import java.util.Locale;

/**
 * The one request header whose proxy chain is believed (setting {@code forwarded-header}). Only
 * one: a client can send either header, and a proxy rewrites or appends only the one it knows,
 * so reading both would let the client's copy of the other one win (issue 10, finding 3).
 */
public enum ForwardedHeader {
    /** The de facto standard: nginx, HAProxy, AWS and most ingress controllers append to it. */
    X_FORWARDED_FOR("X-Forwarded-For"),
    /** RFC 7239; its {@code for=} parameters. */
    FORWARDED("Forwarded");

    private final String headerName;

    ForwardedHeader(String headerName) {
        this.headerName = headerName;
    }

    /** The header name as written in requests and in the setting, such as {@code X-Forwarded-For}. */
    public String headerName() {
        return headerName;
    }

    /** The header with this name in any case, or null. */
    public static ForwardedHeader named(String name) {
        if (name == null) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (ForwardedHeader header : values()) {
            if (header.headerName.toLowerCase(Locale.ROOT).equals(lower)) {
                return header;
            }
        }
        return null;
    }
}
