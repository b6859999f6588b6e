package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class RequestLabelsTest {
    @Test
    void standardMethodsPassAsSent() {
        for (String m : new String[] {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}) {
            assertEquals(m, RequestLabels.method(m));
        }
    }

    @Test
    void aStandardMethodIsOneInstanceWhateverStringTheRequestBrought() {
        String fromRequest = new String("PATCH".toCharArray());
        assertSame(RequestLabels.method("PATCH"), RequestLabels.method(fromRequest));
        assertSame(RequestLabels.method("GET"), RequestLabels.method(new String(new char[] {'G', 'E', 'T'})));
    }

    @Test
    void anythingElseIsOther() {
        assertEquals("OTHER", RequestLabels.method("get"));
        assertEquals("OTHER", RequestLabels.method("PROPFIND"));
        assertEquals("OTHER", RequestLabels.method(""));
        assertEquals("OTHER", RequestLabels.method(null));
        assertEquals("OTHER", RequestLabels.method("GET ".repeat(1000)));
    }

    @Test
    void statusClasses() {
        assertEquals("1xx", RequestLabels.statusClass(101));
        assertEquals("2xx", RequestLabels.statusClass(200));
        assertEquals("2xx", RequestLabels.statusClass(299));
        assertEquals("3xx", RequestLabels.statusClass(304));
        assertEquals("4xx", RequestLabels.statusClass(404));
        assertEquals("5xx", RequestLabels.statusClass(599));
    }

    @Test
    void impossibleStatusesCountAsServerErrors() {
        assertEquals("5xx", RequestLabels.statusClass(0));
        assertEquals("5xx", RequestLabels.statusClass(99));
        assertEquals("5xx", RequestLabels.statusClass(600));
        assertEquals("5xx", RequestLabels.statusClass(-1));
    }
}
