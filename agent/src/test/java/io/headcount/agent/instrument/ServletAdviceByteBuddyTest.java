package io.headcount.agent.instrument;

/** The same requests, woven by the general weaver (Byte Buddy's inlined advice), as on attach. */
class ServletAdviceByteBuddyTest extends ServletAdviceTest {
    @Override
    boolean generalWeaver() {
        return true;
    }
}
