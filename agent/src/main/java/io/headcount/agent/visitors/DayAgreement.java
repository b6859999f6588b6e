package io.headcount.agent.visitors;

import io.lettuce.core.RedisFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one instance in step with Redis for one visitor day: on each new connection the salt
 * handshake ({@code SET NX}, {@code GET}) with a look at this instance's marker, and once agreed a
 * look at the marker once a second, so that a Redis that lost the day is noticed. Holds the replies
 * in flight for the tracker to read between bursts; a failed handshake is tried again a second
 * later. A new day starts with a new one. Worker thread only.
 */
final class DayAgreement {
    /** How often an instance checks that Redis still holds its marker for the day. */
    static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private RedisFuture<byte[]> salt;
    private RedisFuture<Long> marker;
    private long sentNanos;
    private long connection;
    private RedisFuture<Long> check;
    private long checkSentNanos;
    /** The connection on which the day was last agreed; a new connection agrees it again. */
    private long agreedConnection = -1;
    /** When the next check, or the next handshake after a failed one, is due. */
    private long nextNanos;
    private boolean failed;

    /** Whether sightings may be sent on this connection: agreed on it, nothing being agreed. */
    boolean agreedOn(long connections) {
        return salt == null && agreedConnection == connections;
    }

    boolean handshakeDue(long connections, long nowNanos) {
        return salt == null && agreedConnection != connections && (!failed || nowNanos - nextNanos >= 0);
    }

    /**
     * @param saltReply the reply of {@code GET} of the salt, sent right after the proposal's {@code SET NX}
     * @param markerReply the reply of {@code EXISTS} of this instance's marker
     */
    void handshakeSent(RedisFuture<byte[]> saltReply, RedisFuture<Long> markerReply, long connections, long nowNanos) {
        salt = saltReply;
        marker = markerReply;
        sentNanos = nowNanos;
        connection = connections;
    }

    /** Whether both replies of the handshake are in; then read them and call {@link #handshakeRead}. */
    boolean handshakeReplied() {
        return salt != null && salt.isDone() && marker.isDone();
    }

    RedisFuture<byte[]> saltReply() {
        return salt;
    }

    RedisFuture<Long> markerReply() {
        return marker;
    }

    /** @param agreed whether the replies made a usable agreement */
    void handshakeRead(boolean agreed, long nowNanos) {
        salt = null;
        marker = null;
        failed = !agreed;
        if (agreed) {
            agreedConnection = connection;
        }
        nextNanos = nowNanos + CHECK_EVERY_NANOS;
    }

    boolean checkDue(boolean joined, long nowNanos) {
        return salt == null && check == null && joined && nowNanos - nextNanos >= 0;
    }

    /** @param markerReply the reply of {@code EXISTS} of this instance's marker */
    void checkSent(RedisFuture<Long> markerReply, long nowNanos) {
        check = markerReply;
        checkSentNanos = nowNanos;
    }

    /** The check's reply once it is in, else null; read it and call {@link #checkRead}. */
    RedisFuture<Long> checkReplied() {
        return check != null && check.isDone() ? check : null;
    }

    /** @param markerGone whether the marker was missing: Redis lost the day, so agree it again */
    void checkRead(boolean markerGone, long nowNanos) {
        check = null;
        nextNanos = nowNanos + CHECK_EVERY_NANOS;
        if (markerGone) {
            agreedConnection = -1;
        }
    }

    /** A marker check sent with first sightings found the marker gone: Redis lost the day, so agree it again. */
    void markerMissing() {
        agreedConnection = -1;
    }

    /** Whether a reply of this exchange is later than {@code limitNanos}. */
    boolean late(long nowNanos, long limitNanos) {
        return (salt != null && nowNanos - sentNanos > limitNanos)
                || (check != null && nowNanos - checkSentNanos > limitNanos);
    }

    boolean inFlight() {
        return salt != null;
    }
}
