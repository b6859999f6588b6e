package io.headcount.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScrapeRendererTest {
    private final AtomicInteger beforeScrape = new AtomicInteger();
    private final ScrapeRenderer renderer = new ScrapeRenderer(TestServers.registry(2), beforeScrape::incrementAndGet, 1, 1);

    @Test
    void aBodyWaitingForItsClientHoldsItsPlaceUntilClosed() throws Exception {
        ScrapeRenderer.Scrape first = renderer.render(null, null, 0, () -> false);
        assertNotNull(first);
        assertNull(renderer.render(null, null, 50, () -> false));
        first.close();
        first.close();
        try (ScrapeRenderer.Scrape second = renderer.render(null, null, 0, () -> false)) {
            assertNotNull(second);
        }
        assertEquals(2, beforeScrape.get());
    }

    @Test
    void aClientGoneBeforeItsRenderCostsNoRenderAndFreesItsPlace() throws Exception {
        assertThrows(ScrapeRenderer.ClientGoneException.class, () -> renderer.render(null, null, 0, () -> true));
        assertEquals(0, beforeScrape.get());
        try (ScrapeRenderer.Scrape scrape = renderer.render(null, null, 0, () -> false)) {
            assertNotNull(scrape);
        }
    }

    @Test
    void aRenderThatWouldOverdrawTheBudgetPastItsDeadlineIsNotMade() throws Exception {
        AtomicLong clock = new AtomicLong();
        ScrapeRenderer paced = new ScrapeRenderer(TestServers.registry(2), beforeScrape::incrementAndGet, 1, 2,
                new RenderBudget(1, clock::get));
        try (ScrapeRenderer.Scrape first = paced.render(null, null, 0, () -> false)) {
            assertNotNull(first);
        }
        // The first render overdrew a budget of 1 ns to its floor, -1 ns: the next waits 10 ns,
        // which is past a deadline of now.
        assertNull(paced.render(null, null, 0, () -> false));
        assertEquals(1, beforeScrape.get());
        clock.addAndGet(60_000_000_000L);
        try (ScrapeRenderer.Scrape refilled = paced.render(null, null, 0, () -> false)) {
            assertNotNull(refilled);
        }
        // Within its deadline a render waits for the budget, then is made.
        try (ScrapeRenderer.Scrape waited = paced.render(null, null, 60_000, () -> false)) {
            assertNotNull(waited);
        }
        assertEquals(3, beforeScrape.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "GZIP", "br, gzip", "gzip;q=0.5", "*", "deflate, gzip ; q=1"})
    void gzipAccepted(String acceptEncoding) {
        assertTrue(ScrapeRenderer.acceptsGzip(acceptEncoding));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "br", "identity", "gzip;q=0", "gzip; q=0.000", "x-gzip", "gzipx", ";", ",,"})
    void gzipNotAccepted(String acceptEncoding) {
        assertFalse(ScrapeRenderer.acceptsGzip(acceptEncoding));
    }
}
