package io.headcount.agent.metrics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * HTTP basic authentication with one user name and password. The expected credentials are kept
 * only as their SHA-256 digest, and a request's are compared digest to digest with
 * {@link MessageDigest#isEqual}, so that neither the comparison's time nor its length tells a
 * client how much of a guess was right.
 */
final class BasicAuth {
    static final String CHALLENGE = "Basic realm=\"headcount\"";

    private final byte[] expectedDigest;

    /** @param password the password's UTF-8 bytes; the caller may clear its copy afterwards */
    BasicAuth(String username, byte[] password) {
        byte[] user = (username + ":").getBytes(StandardCharsets.UTF_8);
        byte[] credentials = new byte[user.length + password.length];
        System.arraycopy(user, 0, credentials, 0, user.length);
        System.arraycopy(password, 0, credentials, user.length, password.length);
        this.expectedDigest = sha256(credentials);
        Arrays.fill(credentials, (byte) 0);
    }

    /** @param authorization the request's Authorization header, or null */
    boolean allows(String authorization) {
        if (authorization == null || authorization.length() < 6
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(given));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
