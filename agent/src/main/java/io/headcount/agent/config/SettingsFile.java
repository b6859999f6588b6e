package io.headcount.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Reads the properties file named by {@code headcount.config}. */
final class SettingsFile {
    /** Far more than every setting with a long value needs; a larger file is not a settings file. */
    static final int MAX_BYTES = 1 << 20;

    private SettingsFile() {
    }

    /**
     * @param pathText the path as the operator gave it; relative to the working directory
     * @param namedBy where the path came from, for the error message
     * @return the file's keys and values, sorted by key so that errors come in a stable order
     */
    static Map<String, String> read(String pathText, String namedBy) throws InvalidSettingsException {
        Path path;
        try {
            path = Paths.get(pathText);
        } catch (InvalidPathException e) {
            throw cannotRead(pathText, null, namedBy, "not a valid path");
        }
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                throw cannotRead(pathText, path, namedBy, "it is a directory");
            }
            // A FIFO or a device would block start-up or never end: only a regular file is read.
            if (Files.exists(path) && !Files.isRegularFile(path)) {
                throw cannotRead(pathText, path, namedBy, "not a regular file (a FIFO, device or socket)");
            }
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                throw cannotRead(pathText, path, namedBy, "larger than " + MAX_BYTES / 1024 + " KiB");
            }
        } catch (NoSuchFileException e) {
            throw cannotRead(pathText, path, namedBy, "no such file");
        } catch (AccessDeniedException e) {
            throw cannotRead(pathText, path, namedBy, "permission denied");
        } catch (IOException | SecurityException e) {
            throw cannotRead(pathText, path, namedBy, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(decode(bytes)));
        } catch (IOException | IllegalArgumentException e) {
            throw cannotRead(pathText, path, namedBy, "not a properties file: " + e.getMessage());
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key, properties.getProperty(key));
        }
        return values;
    }

    /** UTF-8 when the bytes are valid UTF-8, else ISO-8859-1, the properties files' old default. */
    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static InvalidSettingsException cannotRead(String pathText, Path path, String namedBy, String reason) {
        String shown = LogText.quote(pathText);
        if (path != null && !path.isAbsolute()) {
            shown += " (" + LogText.oneLine(path.toAbsolutePath().toString()) + ")";
        }
        return new InvalidSettingsException("Cannot read settings file " + shown + " named by " + namedBy
                + ": " + LogText.oneLine(reason));
    }
}
