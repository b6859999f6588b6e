package io.headcount.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sink's presence test for the configured session cookie, on the Cookie header as sent. */
class AuthCookieTest {
    @AfterEach
    void reset() {
        HeadcountSink.configure(true, true, null);
    }

    @Test
    void theCookieCountsWhereverItsPairStands() {
        HeadcountSink.configure(true, true, "remember-me");
        assertTrue(HeadcountSink.hasAuthCookie("remember-me=abc"));
        assertTrue(HeadcountSink.hasAuthCookie("theme=dark; remember-me=abc"));
        assertTrue(HeadcountSink.hasAuthCookie("theme=dark;remember-me=abc; lang=en"));
        assertTrue(HeadcountSink.hasAuthCookie("a=remember-me=1; remember-me=abc"));
    }

    @Test
    void anotherCookieOrAnEmptyValueIsNoSession() {
        HeadcountSink.configure(true, true, "remember-me");
        assertFalse(HeadcountSink.hasAuthCookie(null));
        assertFalse(HeadcountSink.hasAuthCookie(""));
        assertFalse(HeadcountSink.hasAuthCookie("xremember-me=abc"));
        assertFalse(HeadcountSink.hasAuthCookie("remember-mex=abc"));
        assertFalse(HeadcountSink.hasAuthCookie("theme=remember-me=abc"));
        assertFalse(HeadcountSink.hasAuthCookie("Remember-Me=abc"));
        assertFalse(HeadcountSink.hasAuthCookie("remember-me=; theme=dark"));
        assertFalse(HeadcountSink.hasAuthCookie("theme=dark; remember-me="));
        assertFalse(HeadcountSink.hasAuthCookie("remember-me"));
    }

    @Test
    void withoutACookieSettingNothingIsFound() {
        assertFalse(HeadcountSink.readsAuthCookie());
        assertFalse(HeadcountSink.hasAuthCookie("remember-me=abc"));
    }
}
