package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DayAgreementTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static AsyncCommand<byte[], byte[], byte[]> saltReply() {
        return new AsyncCommand<>(new Command<>(CommandType.GET, new ValueOutput<>(ByteArrayCodec.INSTANCE)));
    }

    private static AsyncCommand<byte[], byte[], Long> markerReply() {
        return new AsyncCommand<>(new Command<>(CommandType.EXISTS, new IntegerOutput<>(ByteArrayCodec.INSTANCE)));
    }

    private static void answer(AsyncCommand<byte[], byte[], Long> reply, long value) {
        reply.getOutput().set(value);
        reply.complete();
    }

    /** A day agreed on connection 1 at time 0. */
    private static DayAgreement agreed() {
        DayAgreement agreement = new DayAgreement();
        AsyncCommand<byte[], byte[], byte[]> salt = saltReply();
        AsyncCommand<byte[], byte[], Long> marker = markerReply();
        agreement.handshakeSent(salt, marker, 1, 0);
        salt.complete();
        answer(marker, 1);
        agreement.handshakeRead(true, 0);
        return agreement;
    }

    @Test
    void aNewConnectionNeedsAHandshakeAndNothingIsSentUntilItIsRead() {
        DayAgreement agreement = new DayAgreement();
        assertTrue(agreement.handshakeDue(1, 0));
        assertFalse(agreement.agreedOn(1));
        AsyncCommand<byte[], byte[], byte[]> salt = saltReply();
        AsyncCommand<byte[], byte[], Long> marker = markerReply();
        agreement.handshakeSent(salt, marker, 1, 0);
        assertTrue(agreement.inFlight());
        assertFalse(agreement.handshakeDue(1, 0));
        salt.complete();
        assertFalse(agreement.handshakeReplied(), "both replies are needed");
        answer(marker, 0);
        assertTrue(agreement.handshakeReplied());
        assertSame(marker, agreement.markerReply());
        agreement.handshakeRead(true, 0);
        assertTrue(agreement.agreedOn(1));
        assertFalse(agreement.agreedOn(2), "another connection agrees again");
        assertTrue(agreement.handshakeDue(2, 0));
    }

    @Test
    void aFailedHandshakeIsTriedAgainASecondLater() {
        DayAgreement agreement = new DayAgreement();
        AsyncCommand<byte[], byte[], byte[]> salt = saltReply();
        AsyncCommand<byte[], byte[], Long> marker = markerReply();
        agreement.handshakeSent(salt, marker, 1, 0);
        salt.completeExceptionally(new IllegalStateException("refused"));
        marker.completeExceptionally(new IllegalStateException("refused"));
        agreement.handshakeRead(false, 0);
        assertFalse(agreement.agreedOn(1));
        assertFalse(agreement.handshakeDue(1, SECOND - 1));
        assertTrue(agreement.handshakeDue(1, SECOND));
    }

    @Test
    void onceAgreedTheMarkerIsCheckedEverySecondAndAMissingOneAsksForAHandshake() {
        DayAgreement agreement = agreed();
        assertFalse(agreement.checkDue(true, SECOND - 1));
        assertFalse(agreement.checkDue(false, SECOND), "not before the instance joined the day");
        assertTrue(agreement.checkDue(true, SECOND));
        AsyncCommand<byte[], byte[], Long> check = markerReply();
        agreement.checkSent(check, SECOND);
        assertFalse(agreement.checkDue(true, 3 * SECOND), "one check at a time");
        assertNull(agreement.checkReplied());
        answer(check, 1);
        RedisFuture<Long> replied = agreement.checkReplied();
        assertSame(check, replied);
        agreement.checkRead(false, SECOND);
        assertTrue(agreement.agreedOn(1));
        AsyncCommand<byte[], byte[], Long> next = markerReply();
        agreement.checkSent(next, 2 * SECOND);
        answer(next, 0);
        agreement.checkRead(true, 2 * SECOND);
        assertFalse(agreement.agreedOn(1));
        assertTrue(agreement.handshakeDue(1, 2 * SECOND));
    }

    @Test
    void aReplyLaterThanTheLimitIsLate() {
        DayAgreement agreement = new DayAgreement();
        assertFalse(agreement.late(10 * SECOND, SECOND));
        agreement.handshakeSent(saltReply(), markerReply(), 1, 0);
        assertFalse(agreement.late(SECOND, SECOND));
        assertTrue(agreement.late(SECOND + 1, SECOND));
        DayAgreement checking = agreed();
        checking.checkSent(markerReply(), 5 * SECOND);
        assertFalse(checking.late(6 * SECOND, SECOND));
        assertTrue(checking.late(6 * SECOND + 1, SECOND));
    }
}
