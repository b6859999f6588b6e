package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DaySaltTest {
    private final SecureRandom random = new SecureRandom();

    private static byte[] salt(int fill) {
        byte[] salt = new byte[DaySalt.BYTES];
        Arrays.fill(salt, (byte) fill);
        return salt;
    }

    @Test
    void unknownSaltProposesARandomOneAndAdoptsWhatRedisHolds() {
        DaySalt salt = new DaySalt();
        assertFalse(salt.known());
        assertNull(salt.hasher());
        assertEquals(DaySalt.BYTES, salt.proposal(random).length);
        assertEquals(DaySalt.Agreement.FIRST, salt.agreed(salt(1)));
        assertTrue(salt.known());
        assertNotNull(salt.hasher());
    }

    @Test
    void aKnownSaltIsProposedAgainSoThatARedisThatLostItGetsItBack() {
        DaySalt salt = new DaySalt();
        salt.agreed(salt(1));
        assertArrayEquals(salt(1), salt.proposal(random));
        VisitorHasher hasher = salt.hasher();
        assertEquals(DaySalt.Agreement.SAME, salt.agreed(salt(1)));
        assertTrue(hasher == salt.hasher(), "the same salt keeps its hasher and its cache");
    }

    @Test
    void anotherSaltReplacesTheKnownOneAndSaysSo() {
        DaySalt salt = new DaySalt();
        salt.agreed(salt(1));
        assertEquals(DaySalt.Agreement.CHANGED, salt.agreed(salt(2)));
        assertArrayEquals(salt(2), salt.proposal(random));
    }

    @Test
    void noAnswerOrAWrongLengthChangesNothing() {
        DaySalt salt = new DaySalt();
        assertEquals(DaySalt.Agreement.FAILED, salt.agreed(null));
        assertEquals(DaySalt.Agreement.FAILED, salt.agreed(new byte[5]));
        assertFalse(salt.known());
        salt.agreed(salt(1));
        assertEquals(DaySalt.Agreement.FAILED, salt.agreed(new byte[5]));
        assertArrayEquals(salt(1), salt.proposal(random));
    }
}
