package io.headcount.agent.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.testsupport.TestKeystore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsAccessTest {
    @TempDir
    Path dir;

    private static String error(String arguments, Map<String, String> environment) {
        return assertThrows(InvalidSettingsException.class,
                () -> SettingsLoader.load(arguments, Map.of(), environment)).getMessage();
    }

    @Test
    void byDefaultNoCredentialsAndPlainHttp() throws Exception {
        MetricsAccess access = MetricsAccess.read(SettingsLoader.load(null, Map.of(), Map.of()), Map.of());
        assertNull(access.username());
        assertNull(access.password());
        assertNull(access.tls());
    }

    @Test
    void thePasswordIsTheFirstLineOfItsFile() throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "s3cret wörd\r\nsecond line\n");
        Settings settings = SettingsLoader.load("metrics.username=prometheus,metrics.password-file=" + file, Map.of(), Map.of());
        MetricsAccess access = MetricsAccess.read(settings, Map.of());
        assertEquals("prometheus", access.username());
        assertArrayEquals("s3cret wörd".getBytes(StandardCharsets.UTF_8), access.password());
        assertFalse(settings.toString().contains("s3cret"), settings.toString());
    }

    @Test
    void thePasswordFromTheNamedEnvironmentVariableIsNeverPrinted() throws Exception {
        Map<String, String> env = Map.of("SCRAPE_PASSWORD", "hunter2");
        Settings settings = SettingsLoader.load("metrics.username=prometheus,metrics.password-env=SCRAPE_PASSWORD", Map.of(), env);
        assertArrayEquals("hunter2".getBytes(StandardCharsets.UTF_8), MetricsAccess.read(settings, env).password());
        assertTrue(settings.toString().contains("metrics.password-env=SCRAPE_PASSWORD"), settings.toString());
        assertFalse(settings.toString().contains("hunter2"), settings.toString());
    }

    @Test
    void aUserNameWithoutAPasswordIsOneLine() {
        assertEquals("Setting 'metrics.username' needs a password (agent argument); allowed: one of metrics.password-file"
                + " or metrics.password-env naming where it is", error("metrics.username=prometheus", Map.of()));
    }

    @Test
    void aPasswordWithoutAUserName() {
        assertEquals("Setting 'metrics.password-env' needs 'metrics.username' (environment HEADCOUNT_METRICS_PASSWORD_ENV);"
                + " allowed: both, or neither",
                error(null, Map.of("HEADCOUNT_METRICS_PASSWORD_ENV", "P", "P", "x")));
    }

    @Test
    void anUnsetVariableNamesTheVariableNotAValue() {
        assertEquals("Invalid value 'NOPE' for setting 'metrics.password-env' (agent argument): the environment variable"
                + " NOPE is not set or empty; allowed: the name of an environment variable (letters, digits and _), or empty"
                + " for none", error("metrics.username=u,metrics.password-env=NOPE", Map.of()));
    }

    @Test
    void aMissingOrEmptyPasswordFile() throws Exception {
        assertEquals("Invalid value '" + dir.resolve("none") + "' for setting 'metrics.password-file' (agent argument):"
                + " no such file; allowed: a path to a readable file holding the password, or empty for none",
                error("metrics.username=u,metrics.password-file=" + dir.resolve("none"), Map.of()));
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertEquals("Invalid value '" + empty + "' for setting 'metrics.password-file' (agent argument): the file is"
                + " empty; allowed: a path to a readable file holding the password, or empty for none",
                error("metrics.username=u,metrics.password-file=" + empty, Map.of()));
    }

    @Test
    void bothAFileAndAVariable() throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "x");
        assertEquals("Settings 'metrics.password-file' and 'metrics.password-env' are both given (agent argument);"
                + " allowed: one of them",
                error("metrics.username=u,metrics.password-file=" + file + ",metrics.password-env=P", Map.of("P", "y")));
    }

    @Test
    void aKeystoreLoadsWithItsPassword() throws Exception {
        Path keystore = TestKeystore.create(dir);
        Map<String, String> env = Map.of("KS", TestKeystore.PASSWORD);
        Settings settings = SettingsLoader.load("metrics.tls.keystore=" + keystore + ",metrics.tls.keystore-password-env=KS",
                Map.of(), env);
        assertNotNull(MetricsAccess.read(settings, env).tls());
    }

    @Test
    void aKeystoreWithTheWrongPasswordIsOneLineWithoutThePassword() throws Exception {
        Path keystore = TestKeystore.create(dir);
        String message = error("metrics.tls.keystore=" + keystore + ",metrics.tls.keystore-password-env=KS",
                Map.of("KS", "wrong-password"));
        assertTrue(message.startsWith("Invalid value '" + keystore + "' for setting 'metrics.tls.keystore' (agent argument):"
                + " cannot use it as a PKCS#12 keystore ("), message);
        assertFalse(message.contains("wrong-password"), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void aFileThatIsNoKeystore() throws Exception {
        Path notAKeystore = Files.writeString(dir.resolve("x.p12"), "not a keystore");
        String message = error("metrics.tls.keystore=" + notAKeystore + ",metrics.tls.keystore-password-env=KS",
                Map.of("KS", "x"));
        assertTrue(message.contains("cannot use it as a PKCS#12 keystore"), message);
    }

    @Test
    void aKeystoreWithoutItsPassword() throws Exception {
        Path keystore = TestKeystore.create(dir);
        assertEquals("Setting 'metrics.tls.keystore' needs the keystore's password (agent argument); allowed: one of"
                + " metrics.tls.keystore-password-file or metrics.tls.keystore-password-env naming where it is",
                error("metrics.tls.keystore=" + keystore, Map.of()));
    }

    @Test
    void aUserNameWithAColonIsRefused() {
        assertEquals("Invalid value 'a:b' for setting 'metrics.username' (agent argument); allowed: a user name of"
                + " printable characters without ':', or empty for no authentication", error("metrics.username=a:b", Map.of()));
    }
}
