package io.headcount.agent.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;

/**
 * Renders the registry into a byte array, in the text format or OpenMetrics as the scraper asks,
 * gzipped when it accepts that. Both the renders and the rendered bodies are bounded: however many
 * scrapes arrive at once, at most {@code maxRenders} snapshots are taken at a time, and at most
 * {@code maxBodies} bodies wait in the heap for a client to read them, so neither parallel scrapes
 * nor clients that do not read can multiply the agent's heap use by the number of connections.
 * Their rate is bounded too, by a {@link RenderBudget}: a render that would overdraw it waits,
 * holding its place, and one that cannot start before its deadline is not made.
 */
final class ScrapeRenderer {
    /** One rendered scrape; closing it (once written or failed) frees its place among the bodies. */
    final class Scrape implements AutoCloseable {
        final byte[] body;
        final int length;
        final String contentType;
        final boolean gzipped;
        private boolean closed;

        Scrape(byte[] body, int length, String contentType, boolean gzipped) {
            this.body = body;
            this.length = length;
            this.contentType = contentType;
            this.gzipped = gzipped;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                bodies.release();
            }
        }
    }

    /** The client closed its connection while its scrape waited for a render. */
    static final class ClientGoneException extends IOException {
        private static final long serialVersionUID = 1L;

        ClientGoneException() {
            super("client closed the connection before its scrape was rendered");
        }
    }

    /** A byte array output stream whose array is used as it is, not copied once more. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }

    private final PrometheusRegistry registry;
    private final Runnable beforeScrape;
    private final Semaphore renders;
    private final Semaphore bodies;
    private final RenderBudget budget;
    private final ExpositionFormatWriter text = PrometheusTextFormatWriter.create();
    private final ExpositionFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();
    /** The last body's size, so that the next one is rendered into a buffer that rarely grows. */
    private volatile int lastSize = 16 * 1024;

    ScrapeRenderer(PrometheusRegistry registry, Runnable beforeScrape, int maxRenders, int maxBodies) {
        this(registry, beforeScrape, maxRenders, maxBodies, new RenderBudget(RenderBudget.BURST_NANOS, System::nanoTime));
    }

    ScrapeRenderer(PrometheusRegistry registry, Runnable beforeScrape, int maxRenders, int maxBodies,
                   RenderBudget budget) {
        this.registry = registry;
        this.beforeScrape = beforeScrape;
        this.renders = new Semaphore(maxRenders, true);
        this.bodies = new Semaphore(maxBodies, true);
        this.budget = budget;
    }

    /**
     * @param accept the request's Accept header, or null
     * @param acceptEncoding the request's Accept-Encoding header, or null
     * @param waitMillis how long to wait for a free place
     * @param clientGone asked once a place is free: true when the client has already gone, and
     *        rendering for it would only delay the scrapes behind it
     * @return the scrape, to be closed once written; or null when no place came free in time
     * @throws ClientGoneException when {@code clientGone} said so; nothing was rendered
     */
    Scrape render(String accept, String acceptEncoding, long waitMillis, BooleanSupplier clientGone)
            throws IOException, InterruptedException {
        return bounded(waitMillis, clientGone, () -> renderNow(accept, acceptEncoding));
    }

    /** The overview page ({@link OverviewPage}), within the same bounds as a scrape. */
    Scrape renderOverview(long waitMillis, BooleanSupplier clientGone) throws IOException, InterruptedException {
        return bounded(waitMillis, clientGone, () -> {
            byte[] page = OverviewPage.render(HeadcountMetrics.scrape(registry)).getBytes(StandardCharsets.UTF_8);
            return new Scrape(page, page.length, OverviewPage.CONTENT_TYPE, false);
        });
    }

    /** Makes a body once a place among the bodies and the renders is free. */
    private interface BodyMaker {
        Scrape make() throws IOException;
    }

    private Scrape bounded(long waitMillis, BooleanSupplier clientGone, BodyMaker maker)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        if (!bodies.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
            return null;
        }
        boolean rendered = false;
        try {
            if (!renders.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return null;
            }
            try {
                if (clientGone.getAsBoolean()) {
                    throw new ClientGoneException();
                }
                long wait = budget.waitNanos();
                if (wait > 0) {
                    if (wait > deadline - System.nanoTime()) {
                        return null;
                    }
                    TimeUnit.NANOSECONDS.sleep(wait);
                    if (clientGone.getAsBoolean()) {
                        throw new ClientGoneException();
                    }
                }
                beforeScrape.run();
                long start = System.nanoTime();
                try {
                    Scrape scrape = maker.make();
                    rendered = true;
                    return scrape;
                } finally {
                    budget.spent(System.nanoTime() - start);
                }
            } finally {
                renders.release();
            }
        } finally {
            if (!rendered) {
                bodies.release();
            }
        }
    }

    private Scrape renderNow(String accept, String acceptEncoding) throws IOException {
        ExpositionFormatWriter writer = accept != null && openMetrics.accepts(accept) ? openMetrics : text;
        EscapingScheme escaping = EscapingScheme.fromAcceptHeader(accept);
        boolean gzip = acceptsGzip(acceptEncoding);
        int size = lastSize;
        Buffer body = new Buffer(gzip ? size / 4 : size + size / 8);
        if (gzip) {
            try (GZIPOutputStream zipped = new GZIPOutputStream(body, 8192)) {
                writer.write(zipped, HeadcountMetrics.scrape(registry), escaping);
            }
        } else {
            writer.write(body, HeadcountMetrics.scrape(registry), escaping);
            lastSize = Math.max(1024, body.size());
        }
        return new Scrape(body.array(), body.size(), writer.getContentType(), gzip);
    }

    /** True when the header lists gzip (or *) without {@code q=0}. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String item : acceptEncoding.split(",")) {
            String[] parts = item.split(";", -1);
            String coding = parts[0].trim();
            if (!coding.equalsIgnoreCase("gzip") && !coding.equals("*")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim().replace(" ", "");
                refused |= parameter.equalsIgnoreCase("q=0") || parameter.matches("(?i)q=0\\.0{0,3}");
            }
            return !refused;
        }
        return false;
    }
}
