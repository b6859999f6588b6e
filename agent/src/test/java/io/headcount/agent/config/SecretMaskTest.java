package io.headcount.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SecretMaskTest {
    @Test
    void userAndPasswordKeepTheUser() {
        assertEquals("redis://app:***@redis.example:6379/0", SecretMask.maskPassword("redis://app:s3cret@redis.example:6379/0"));
    }

    @Test
    void passwordOnlyIsMasked() {
        assertEquals("redis://:***@redis.example", SecretMask.maskPassword("redis://:s3cret@redis.example"));
    }

    @Test
    void loneUserInfoIsThePasswordForLettuce() {
        assertEquals("rediss://***@redis.example", SecretMask.maskPassword("rediss://s3cret@redis.example"));
    }

    @Test
    void unencodedAtAndSlashInThePasswordStayHidden() {
        assertEquals("redis://app:***@h", SecretMask.maskPassword("redis://app:p@ss/w@rd@h"));
    }

    @Test
    void sentinelUriIsMasked() {
        assertEquals("redis-sentinel://:***@s1:26379,s2:26379/0#main",
                SecretMask.maskPassword("redis-sentinel://:pw@s1:26379,s2:26379/0#main"));
    }

    @Test
    void passwordQueryParameterIsMasked() {
        assertEquals("redis://h?timeout=5s&password=***&database=1",
                SecretMask.maskPassword("redis://h?timeout=5s&password=pw&database=1"));
        assertEquals("redis://h?Password=***", SecretMask.maskPassword("redis://h?Password=pw"));
        assertEquals("redis://h?oldpassword=x", SecretMask.maskPassword("redis://h?oldpassword=x"));
    }

    @Test
    void textWithoutSchemeStillHidesUserInfo() {
        assertEquals("***@redis.example", SecretMask.maskPassword("s3cret@redis.example"));
    }

    @Test
    void textWithoutCredentialsIsUnchanged() {
        assertEquals("redis://redis.example:6379", SecretMask.maskPassword("redis://redis.example:6379"));
        assertEquals("9000", SecretMask.maskPassword("9000"));
        assertEquals("", SecretMask.maskPassword(""));
        assertNull(SecretMask.maskPassword(null));
    }
}
