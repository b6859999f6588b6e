package org.glassfish.jersey.server.model;

import java.util.function.Function;

/**
 * A stand-in with the name and the shape of Jersey's invoker: {@code apply(context)}, plus the
 * bridge method that implementing a generic {@code Function} brings, as Jersey's has.
 */
public final class ResourceMethodInvoker implements Function<Object, String> {
    @Override
    public String apply(Object processingContext) {
        return "invoked";
    }
}
