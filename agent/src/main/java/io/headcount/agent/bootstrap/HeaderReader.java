package io.headcount.agent.bootstrap;

/**
 * Reads every header the advice needs in one pass over a container's own header store, where the
 * servlet API would scan all of a request's headers once per name asked for. A reader is made for
 * one request class (see {@link HeadcountSink#readHeadersWith}) and defined in that class's loader,
 * so it can use the container's types; this class, on the bootstrap loader, is the type the advice
 * knows it by.
 */
public abstract class HeaderReader {
    /** Set once a read failed: the advice then asks the servlet API for that request class. */
    volatile boolean broken;

    protected HeaderReader() {
    }

    /**
     * Fills in exactly what the advice's servlet API reads would: {@code requestUri} when the advice
     * left it null ({@code getRequestURI}), {@code contextPath} ({@code getContextPath}),
     * {@code userAgent}, {@code referer}, {@code host}, the forwarding chain of the one forwarding
     * header believed, {@code optedOut}, {@code authenticated} and the client hints. Writes the event only once it has read everything,
     * so a read that throws leaves the event as it was.
     *
     * @param request a request of the class this reader was made for
     * @return false when this request cannot be read this way (the advice then uses the servlet API)
     */
    public abstract boolean read(Object request, RequestEvent event);
}
