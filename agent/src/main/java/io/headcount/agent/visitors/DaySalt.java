package io.headcount.agent.visitors;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * One visitor day's salt as this instance knows it, and the handshake that agrees it with the
 * other instances through Redis: propose one ({@code SET NX}: the first proposal wins), then
 * adopt what Redis holds. Once known, the same salt is proposed again after every reconnection,
 * so that a Redis that lost it gets it back. Not thread-safe: the worker owns it.
 */
final class DaySalt {
    static final int BYTES = InMemoryVisitorTracker.SALT_BYTES;

    /** What an answer from Redis did to the salt. */
    enum Agreement {
        /** The first salt this instance knows for the day. */
        FIRST,
        /** The salt this instance already knew. */
        SAME,
        /** Another salt than the one this instance knew: its earlier fingerprints no longer match. */
        CHANGED,
        /** No usable answer; the salt stays as it was. */
        FAILED
    }

    private byte[] salt;
    private VisitorHasher hasher;

    boolean known() {
        return salt != null;
    }

    /** The hasher under the known salt, or null. */
    VisitorHasher hasher() {
        return hasher;
    }

    /** What to propose to Redis: the known salt, else a new random one. */
    byte[] proposal(SecureRandom random) {
        if (salt != null) {
            return salt.clone();
        }
        byte[] proposal = new byte[BYTES];
        random.nextBytes(proposal);
        return proposal;
    }

    /** @param agreed what Redis holds after the proposal, or null when the exchange failed */
    Agreement agreed(byte[] agreed) {
        if (agreed == null || agreed.length != BYTES) {
            return Agreement.FAILED;
        }
        if (salt != null && Arrays.equals(salt, agreed)) {
            return Agreement.SAME;
        }
        Agreement agreement = salt == null ? Agreement.FIRST : Agreement.CHANGED;
        salt = agreed.clone();
        hasher = new VisitorHasher(salt);
        return agreement;
    }
}
