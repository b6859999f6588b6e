package io.headcount.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The metrics endpoint's credentials and TLS key, read from the files and environment variables
 * that the {@code metrics.*} settings name. Checked together when settings are read (a user name
 * needs a password, a named variable must be set, the keystore must load with its password), so
 * that a mistake is the usual one log line at start; read again where the endpoint starts.
 * Passwords are never printed: messages name the file or variable, not what it holds.
 */
public final class MetricsAccess {
    private final String username;
    private final byte[] password;
    private final SSLContext tls;

    private MetricsAccess(String username, byte[] password, SSLContext tls) {
        this.username = username;
        this.password = password;
        this.tls = tls;
    }

    /** The user name every scrape must give, or null when the endpoint asks for none. */
    public String username() {
        return username;
    }

    /** A copy of the password's UTF-8 bytes (null without a user name); clear it after use. */
    public byte[] password() {
        return password == null ? null : password.clone();
    }

    /** The TLS context to serve HTTPS with, or null for plain HTTP. */
    public SSLContext tls() {
        return tls;
    }

    /** Reads with the process's environment; messages do not name each setting's source. */
    public static MetricsAccess read(Settings settings) throws InvalidSettingsException {
        return read(settings, System.getenv());
    }

    /** Reads with this environment; messages do not name each setting's source. */
    public static MetricsAccess read(Settings settings, Map<String, String> environment)
            throws InvalidSettingsException {
        return read(settings, environment, key -> null);
    }

    /**
     * @param environment the environment the {@code *-env} settings name variables of
     * @param sourceOf where each key's value came from, such as "agent argument", or null when unknown
     */
    static MetricsAccess read(Settings settings, Map<String, String> environment, Function<String, String> sourceOf)
            throws InvalidSettingsException {
        Map<String, String> env = environment == null ? Collections.<String, String>emptyMap() : environment;
        String username = settings.get(SettingDefinitions.METRICS_USERNAME);
        byte[] password = secret(settings, env, sourceOf, SettingDefinitions.METRICS_PASSWORD_FILE,
                SettingDefinitions.METRICS_PASSWORD_ENV);
        if (username == null && password != null) {
            throw new InvalidSettingsException(needs(passwordKey(settings),
                    SettingDefinitions.METRICS_USERNAME.key(), sourceOf));
        }
        if (username != null && password == null) {
            throw new InvalidSettingsException("Setting 'metrics.username' needs a password" + source(sourceOf,
                    SettingDefinitions.METRICS_USERNAME.key()) + "; allowed: one of metrics.password-file or"
                    + " metrics.password-env naming where it is");
        }
        String keystore = settings.get(SettingDefinitions.METRICS_TLS_KEYSTORE);
        byte[] keystorePassword = secret(settings, env, sourceOf, SettingDefinitions.METRICS_TLS_KEYSTORE_PASSWORD_FILE,
                SettingDefinitions.METRICS_TLS_KEYSTORE_PASSWORD_ENV);
        SSLContext tls = null;
        if (keystore == null && keystorePassword != null) {
            throw new InvalidSettingsException(needs(settings.get(SettingDefinitions.METRICS_TLS_KEYSTORE_PASSWORD_FILE) != null
                    ? SettingDefinitions.METRICS_TLS_KEYSTORE_PASSWORD_FILE.key()
                    : SettingDefinitions.METRICS_TLS_KEYSTORE_PASSWORD_ENV.key(),
                    SettingDefinitions.METRICS_TLS_KEYSTORE.key(), sourceOf));
        }
        if (keystore != null) {
            if (keystorePassword == null) {
                throw new InvalidSettingsException("Setting 'metrics.tls.keystore' needs the keystore's password"
                        + source(sourceOf, SettingDefinitions.METRICS_TLS_KEYSTORE.key()) + "; allowed: one of"
                        + " metrics.tls.keystore-password-file or metrics.tls.keystore-password-env naming where it is");
            }
            char[] chars = new String(keystorePassword, StandardCharsets.UTF_8).toCharArray();
            try {
                tls = tlsContext(keystore, chars);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                throw new InvalidSettingsException("Invalid value " + LogText.quote(keystore) + " for setting '"
                        + SettingDefinitions.METRICS_TLS_KEYSTORE.key() + "'" + source(sourceOf,
                        SettingDefinitions.METRICS_TLS_KEYSTORE.key()) + ": cannot use it as a PKCS#12 keystore ("
                        + LogText.oneLine(String.valueOf(e.getMessage())) + "); allowed: "
                        + SettingDefinitions.METRICS_TLS_KEYSTORE.allowed() + " with one private key and its"
                        + " certificate, and its password");
            } finally {
                Arrays.fill(chars, '\0');
                Arrays.fill(keystorePassword, (byte) 0);
            }
        }
        return new MetricsAccess(username, password, tls);
    }

    private static String passwordKey(Settings settings) {
        return settings.get(SettingDefinitions.METRICS_PASSWORD_FILE) != null
                ? SettingDefinitions.METRICS_PASSWORD_FILE.key() : SettingDefinitions.METRICS_PASSWORD_ENV.key();
    }

    /** The secret from the file or the variable (not both), or null when neither is set. */
    private static byte[] secret(Settings settings, Map<String, String> env, Function<String, String> sourceOf,
                                 Setting<String> fileSetting, Setting<String> envSetting)
            throws InvalidSettingsException {
        String file = settings.get(fileSetting);
        String variable = settings.get(envSetting);
        if (file != null && variable != null) {
            throw new InvalidSettingsException("Settings '" + fileSetting.key() + "' and '" + envSetting.key()
                    + "' are both given" + source(sourceOf, envSetting.key()) + "; allowed: one of them");
        }
        if (file != null) {
            byte[] content;
            try {
                content = Files.readAllBytes(Paths.get(file));
            } catch (IOException | RuntimeException e) {
                throw invalid(fileSetting, file, sourceOf, "cannot read it");
            }
            byte[] line = firstLine(content);
            Arrays.fill(content, (byte) 0);
            if (line.length == 0) {
                throw invalid(fileSetting, file, sourceOf, "the file is empty");
            }
            return line;
        }
        if (variable != null) {
            String value = env.get(variable);
            if (value == null || value.isEmpty()) {
                throw invalid(envSetting, variable, sourceOf, "the environment variable " + variable + " is not set or empty");
            }
            return value.getBytes(StandardCharsets.UTF_8);
        }
        return null;
    }

    /** The bytes before the first line break: an editor's trailing newline is not part of a password. */
    private static byte[] firstLine(byte[] content) {
        int end = 0;
        while (end < content.length && content[end] != '\n' && content[end] != '\r') {
            end++;
        }
        return Arrays.copyOf(content, end);
    }

    private static SSLContext tlsContext(String keystore, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Paths.get(keystore))) {
            store.load(in, password);
        }
        boolean hasKey = false;
        for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
            hasKey |= store.isKeyEntry(aliases.nextElement());
        }
        if (!hasKey) {
            throw new GeneralSecurityException("it holds no private key");
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static InvalidSettingsException invalid(Setting<String> setting, String value,
                                                     Function<String, String> sourceOf, String detail) {
        return new InvalidSettingsException("Invalid value " + LogText.quote(value) + " for setting '" + setting.key()
                + "'" + source(sourceOf, setting.key()) + ": " + detail + "; allowed: " + setting.allowed());
    }

    private static String needs(String given, String needed, Function<String, String> sourceOf) {
        return "Setting '" + given + "' needs '" + needed + "'" + source(sourceOf, given)
                + "; allowed: both, or neither";
    }

    private static String source(Function<String, String> sourceOf, String key) {
        String source = sourceOf.apply(key);
        return source == null ? "" : " (" + source + ")";
    }
}
