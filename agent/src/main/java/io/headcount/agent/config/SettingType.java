package io.headcount.agent.config;

import io.headcount.agent.classify.ClientRules;
import io.headcount.agent.net.Cidr;
import io.headcount.agent.net.ForwardedHeader;
import io.headcount.agent.net.IpAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What text a setting accepts and the typed value it becomes. Each type also says in words what
 * is allowed, for error messages and the settings table.
 *
 * <p>A type is a {@link Kind} that {@link #parse} and {@link #format} switch on, not a parser and
 * a formatter given as lambdas: every lambda is a class the JVM generates when the settings are
 * first read, in the premain, and the 36 of them took about 30 ms of it on one core (a class
 * loaded from the jar costs half as much; a switch case nothing).
 */
final class SettingType<T> {
    private enum Kind {
        BOOL, INTEGER, POWER_OF_TWO, HOST, REDIS_URL, KEY_PREFIX, FORWARDED_HEADER, CIDR_LIST, GLOB_LIST,
        CLIENT_RULES, USER_AGENT_PREFIXES, ZONE, CHOICE, TEXT, READABLE_FILE, PEM_CERTIFICATES, MATCHING, USER_NAME
    }

    private static final String UNSET = "(unset)";
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,10}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");
    private static final int MAX_KEY_PREFIX_LENGTH = 100;
    private static final int MAX_PREFIXES = 50;
    private static final int MAX_PREFIX_LENGTH = 100;
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** RFC 6265 cookie-name: an RFC 9110 token. */
    private static final Pattern COOKIE_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");

    private final Kind kind;
    private final String allowed;
    /** The range of {@link Kind#INTEGER} and {@link Kind#POWER_OF_TWO}. */
    private final int min;
    private final int max;
    /** The words of {@link Kind#CHOICE}. */
    private final String[] words;
    /** What {@link Kind#MATCHING} text matches whole. */
    private final Pattern pattern;

    private SettingType(Kind kind, String allowed) {
        this(kind, allowed, 0, 0, null, null);
    }

    private SettingType(Kind kind, String allowed, int min, int max, String[] words, Pattern pattern) {
        this.kind = kind;
        this.allowed = allowed;
        this.min = min;
        this.max = max;
        this.words = words;
        this.pattern = pattern;
    }

    String allowed() {
        return allowed;
    }

    /** Turns trimmed setting text into a value of the type its factory below gave it. */
    @SuppressWarnings("unchecked")
    T parse(String text) throws InvalidValueException {
        return (T) parseAny(text);
    }

    private Object parseAny(String text) throws InvalidValueException {
        switch (kind) {
            case BOOL:
                return parseBool(text);
            case INTEGER:
                return parseInt(text, min, max);
            case POWER_OF_TWO:
                return roundUpToPowerOfTwo(parseInt(text, min, max));
            case HOST:
                return parseHost(text);
            case REDIS_URL:
                return parseRedisUrl(text);
            case KEY_PREFIX:
                return parseKeyPrefix(text);
            case FORWARDED_HEADER:
                return parseForwardedHeader(text);
            case CIDR_LIST:
                return parseCidrList(text);
            case GLOB_LIST:
                return parseGlobList(text);
            case CLIENT_RULES:
                return parseClientRules(text);
            case USER_AGENT_PREFIXES:
                return parseUserAgentPrefixes(text);
            case ZONE:
                return parseZone(text);
            case CHOICE:
                return parseChoice(text, words);
            case READABLE_FILE:
                return parseReadableFile(text);
            case PEM_CERTIFICATES:
                return parsePemCertificates(text);
            case MATCHING:
                return parseMatching(text, pattern);
            case USER_NAME:
                return parseUserName(text);
            case TEXT:
            default:
                return text;
        }
    }

    /** Renders a parsed value back as setting text, for {@link Settings#toString()}. */
    String format(String text, T value) {
        switch (kind) {
            case REDIS_URL:
                return value == null ? UNSET : SecretMask.maskPassword((String) value);
            case FORWARDED_HEADER:
                return ((ForwardedHeader) value).headerName();
            case CIDR_LIST:
                return String.join(",", items(text));
            case GLOB_LIST:
            case USER_AGENT_PREFIXES:
                return String.join(",", castToStrings(value));
            case ZONE:
                return ((ZoneId) value).getId();
            default:
                // The types whose empty text means unset are the only ones whose value can be null.
                return value == null ? UNSET : String.valueOf(value);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> castToStrings(Object value) {
        return (List<String>) value;
    }

    static SettingType<Boolean> bool() {
        return new SettingType<>(Kind.BOOL, "true or false");
    }

    static SettingType<Integer> integer(int min, int max) {
        return new SettingType<>(Kind.INTEGER, "an integer from " + min + " to " + max, min, max, null, null);
    }

    /** An integer in range, rounded up to the next power of two; min and max are powers of two. */
    static SettingType<Integer> powerOfTwo(int min, int max) {
        return new SettingType<>(Kind.POWER_OF_TWO,
                "an integer from " + min + " to " + max + ", rounded up to a power of two", min, max, null, null);
    }

    /**
     * An address to bind: an IP literal, or a name that resolves now. Checked when read, so that a
     * typo is one line naming this setting and not a bind error that advises another port.
     */
    static SettingType<String> host() {
        return new SettingType<>(Kind.HOST, "an IP address or host name such as 0.0.0.0, 127.0.0.1 or ::");
    }

    /** Empty text means unset (null): in-memory mode. */
    static SettingType<String> redisUrl() {
        return new SettingType<>(Kind.REDIS_URL,
                "a URI starting with redis://, rediss:// or redis-sentinel://, or empty for in-memory mode");
    }

    /** Goes into every Redis key: a space or control character would split or garble commands and logs. */
    static SettingType<String> keyPrefix() {
        return new SettingType<>(Kind.KEY_PREFIX,
                "1 to " + MAX_KEY_PREFIX_LENGTH + " characters without spaces or control characters");
    }

    /** {@code X-Forwarded-For} or {@code Forwarded}, in any case. */
    static SettingType<ForwardedHeader> forwardedHeader() {
        return new SettingType<>(Kind.FORWARDED_HEADER, "X-Forwarded-For or Forwarded");
    }

    static SettingType<List<Cidr>> cidrList() {
        return cidrList("comma-separated CIDR blocks such as 10.0.0.0/8,::1, or empty to trust no proxy");
    }

    static SettingType<List<Cidr>> cidrList(String allowed) {
        return new SettingType<>(Kind.CIDR_LIST, allowed);
    }

    static SettingType<List<String>> globList() {
        return new SettingType<>(Kind.GLOB_LIST,
                "comma-separated path globs starting with / or *, where * matches any characters, or empty");
    }

    /**
     * The {@code clients} rules ({@link ClientRules}), checked completely when read; empty means
     * unset (null).
     */
    static SettingType<ClientRules> clientRules() {
        return new SettingType<>(Kind.CLIENT_RULES, "rules name:regex separated by ';' (at most " + ClientRules.MAX_RULES
                + "; a name of 1 to " + ClientRules.MAX_NAME_LENGTH + " letters, digits, '.', '_' or '-', not browser,"
                + " script, bot, unknown or other, each once, optionally followed by " + ClientRules.AUTOMATED_MARK
                + "; a Java regex of at most " + ClientRules.MAX_REGEX_LENGTH
                + " characters with at most one capturing group, the version), or empty for none");
    }

    /** Comma-separated User-Agent prefixes of printable characters; empty for none. */
    static SettingType<List<String>> userAgentPrefixes() {
        return new SettingType<>(Kind.USER_AGENT_PREFIXES, "comma-separated User-Agent prefixes (at most "
                + MAX_PREFIXES + ", each of 1 to " + MAX_PREFIX_LENGTH + " printable characters), or empty for none");
    }

    static SettingType<ZoneId> zone() {
        return new SettingType<>(Kind.ZONE, "a time zone ID such as UTC, Europe/Berlin or +02:00");
    }

    /** One of a few words, any case; the value is the word as listed. */
    static SettingType<String> choice(String... words) {
        return new SettingType<>(Kind.CHOICE, "one of " + String.join(", ", words), 0, 0, words.clone(), null);
    }

    /** Any text as given; for settings such as the file name whose use checks them. */
    static SettingType<String> text(String allowed) {
        return new SettingType<>(Kind.TEXT, allowed);
    }

    // Metrics endpoint access (issue 10): optional texts whose empty value means unset.

    /** A path to a readable regular file, or empty for unset (null). */
    static SettingType<String> readableFile(String allowed) {
        return new SettingType<>(Kind.READABLE_FILE, allowed);
    }

    /**
     * A readable file of PEM X.509 certificates (at least one), or empty for unset (null): read
     * when the setting is read, so that a wrong file is one line at start and not a TLS failure later.
     */
    static SettingType<String> pemCertificates(String allowed) {
        return new SettingType<>(Kind.PEM_CERTIFICATES, allowed);
    }

    /** The name of an environment variable (letters, digits, _), or empty for unset (null). */
    static SettingType<String> environmentName() {
        return matchingOrUnset("the name of an environment variable (letters, digits and _), or empty for none",
                ENVIRONMENT_NAME);
    }

    /** A cookie name (an HTTP token, case-sensitive), or empty for unset (null). */
    static SettingType<String> cookieName() {
        return matchingOrUnset("a cookie name (letters, digits and !#$%&'*+-.^_`|~, at most 128), or empty for none",
                COOKIE_NAME);
    }

    /** Text that matches {@code pattern} whole, or empty for unset (null). */
    private static SettingType<String> matchingOrUnset(String allowed, Pattern pattern) {
        return new SettingType<>(Kind.MATCHING, allowed, 0, 0, null, pattern);
    }

    /** An HTTP basic user name: printable, without ':'; or empty for unset (null). */
    static SettingType<String> userName() {
        return new SettingType<>(Kind.USER_NAME,
                "a user name of printable characters without ':', or empty for no authentication");
    }

    private static Boolean parseBool(String text) throws InvalidValueException {
        if (text.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (text.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new InvalidValueException(null);
    }

    private static String parseHost(String text) throws InvalidValueException {
        if (!HOST.matcher(text).matches()) {
            throw new InvalidValueException(null);
        }
        if (RedisUrlSyntax.looksNumeric(text)) {
            if (IpAddress.parse(text) == null) {
                throw new InvalidValueException("not an IPv4 address");
            }
            return text;
        }
        if (IpAddress.parse(text) == null) {
            try {
                InetAddress.getAllByName(text);
            } catch (UnknownHostException | RuntimeException e) {
                throw new InvalidValueException("no address of that name was found");
            }
        }
        return text;
    }

    private static String parseRedisUrl(String text) throws InvalidValueException {
        if (text.isEmpty()) {
            return null;
        }
        String problem = RedisUrlSyntax.problem(text);
        if (problem != null) {
            throw new InvalidValueException(problem.isEmpty() ? null : problem);
        }
        return text;
    }

    private static String parseKeyPrefix(String text) throws InvalidValueException {
        if (text.isEmpty() || text.length() > MAX_KEY_PREFIX_LENGTH || !noWhitespace(text)) {
            throw new InvalidValueException(null);
        }
        return text;
    }

    private static ForwardedHeader parseForwardedHeader(String text) throws InvalidValueException {
        ForwardedHeader header = ForwardedHeader.named(text);
        if (header == null) {
            throw new InvalidValueException(null);
        }
        return header;
    }

    private static List<Cidr> parseCidrList(String text) throws InvalidValueException {
        List<Cidr> blocks = new ArrayList<>();
        for (String item : items(text)) {
            try {
                blocks.add(Cidr.parse(item));
            } catch (IllegalArgumentException e) {
                String reason = e.getMessage();
                throw new InvalidValueException(reason == null || reason.isEmpty()
                        ? LogText.quote(item) + " is not a CIDR block"
                        : LogText.oneLine(reason));
            }
        }
        return Collections.unmodifiableList(blocks);
    }

    private static List<String> parseGlobList(String text) throws InvalidValueException {
        List<String> globs = items(text);
        for (String glob : globs) {
            if (!noWhitespace(glob)) {
                throw new InvalidValueException(LogText.quote(glob) + " holds white space");
            }
            if (!glob.startsWith("/") && !glob.startsWith("*")) {
                throw new InvalidValueException(LogText.quote(glob) + " starts with neither / nor *");
            }
        }
        return globs;
    }

    private static ClientRules parseClientRules(String text) throws InvalidValueException {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return ClientRules.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(e.getMessage());
        }
    }

    private static List<String> parseUserAgentPrefixes(String text) throws InvalidValueException {
        List<String> prefixes = items(text);
        if (prefixes.size() > MAX_PREFIXES) {
            throw new InvalidValueException("more than " + MAX_PREFIXES + " prefixes");
        }
        for (String prefix : prefixes) {
            if (prefix.length() > MAX_PREFIX_LENGTH || !noWhitespace(prefix.replace(' ', 'x'))) {
                throw new InvalidValueException(LogText.quote(prefix) + " is longer than "
                        + MAX_PREFIX_LENGTH + " characters or holds a control character");
            }
        }
        return prefixes;
    }

    private static ZoneId parseZone(String text) throws InvalidValueException {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new InvalidValueException(null, zoneIgnoringCase(text));
        }
    }

    private static String parseChoice(String text, String[] words) throws InvalidValueException {
        for (String word : words) {
            if (word.equalsIgnoreCase(text)) {
                return word;
            }
        }
        throw new InvalidValueException(null);
    }

    private static String parseReadableFile(String text) throws InvalidValueException {
        if (text.isEmpty()) {
            return null;
        }
        Path path;
        try {
            path = Paths.get(text);
        } catch (InvalidPathException e) {
            throw new InvalidValueException("not a file path");
        }
        if (!Files.isRegularFile(path)) {
            throw new InvalidValueException(Files.exists(path) ? "not a regular file" : "no such file");
        }
        if (!Files.isReadable(path)) {
            throw new InvalidValueException("the file is not readable");
        }
        return text;
    }

    private static String parsePemCertificates(String text) throws InvalidValueException {
        String path = parseReadableFile(text);
        if (path == null) {
            return null;
        }
        java.util.Collection<? extends java.security.cert.Certificate> certificates;
        try (java.io.InputStream in = Files.newInputStream(Paths.get(path))) {
            certificates = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (java.io.IOException | java.security.cert.CertificateException e) {
            throw new InvalidValueException("the file holds no readable PEM certificate");
        }
        if (certificates.isEmpty()) {
            throw new InvalidValueException("the file holds no PEM certificate");
        }
        return path;
    }

    private static String parseMatching(String text, Pattern pattern) throws InvalidValueException {
        if (text.isEmpty()) {
            return null;
        }
        if (!pattern.matcher(text).matches()) {
            throw new InvalidValueException(null);
        }
        return text;
    }

    private static String parseUserName(String text) throws InvalidValueException {
        if (text.isEmpty()) {
            return null;
        }
        if (text.indexOf(':') >= 0 || !noWhitespace(text.replace(' ', 'x'))) {
            throw new InvalidValueException(null);
        }
        return text;
    }

    /** The trimmed, non-empty comma-separated items, so that a trailing comma is harmless. */
    static List<String> items(String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            String trimmed = item.trim();
            if (!trimmed.isEmpty()) {
                items.add(trimmed);
            }
        }
        return Collections.unmodifiableList(items);
    }

    private static int parseInt(String text, int min, int max) throws InvalidValueException {
        if (!DIGITS.matcher(text).matches()) {
            throw new InvalidValueException(null);
        }
        long value = Long.parseLong(text);
        if (value < min || value > max) {
            throw new InvalidValueException(null);
        }
        return (int) value;
    }

    static int roundUpToPowerOfTwo(int value) {
        int highest = Integer.highestOneBit(value);
        return highest == value ? value : highest << 1;
    }

    /** No white space (Unicode spaces included) and no control characters. */
    static boolean noWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                return false;
            }
        }
        return true;
    }

    private static String zoneIgnoringCase(String text) {
        for (String id : ZoneId.getAvailableZoneIds()) {
            if (id.equalsIgnoreCase(text)) {
                return id;
            }
        }
        return null;
    }
}
