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
import java.util.concurrent.atomic.AtomicReference;

/** Reads the properties file named by {@code headcount.config}. */
final class SettingsFile {
    /** Far more than every setting with a long value needs; a larger file is not a settings file. */
    static final int MAX_BYTES = 1 << 20;
    /** How long a settings file that is no regular file (a pipe) may take to be read. */
    static final long PIPE_WAIT_MILLIS = 2_000;

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
            // A pipe from the shell (config=<(...), /dev/stdin) is read too, but on a thread of its
            // own: one that nothing writes to would block the app's start for good.
            bytes = Files.exists(path) && !Files.isRegularFile(path) ? readWithin(path, pathText, namedBy)
                    : readAtMost(path);
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

    /** At most one byte more than {@link #MAX_BYTES}, so that a larger file or an endless device shows as such. */
    private static byte[] readAtMost(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(MAX_BYTES + 1);
        }
    }

    private static byte[] readWithin(Path path, String pathText, String namedBy) throws InvalidSettingsException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                result.set(readAtMost(path));
            } catch (Throwable t) {
                result.set(t);
            }
        }, "headcount-settings-file");
        reader.setDaemon(true);
        reader.start();
        try {
            reader.join(PIPE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Object read = result.get();
        if (read instanceof byte[]) {
            return (byte[]) read;
        }
        if (read instanceof Throwable) {
            Throwable t = (Throwable) read;
            throw cannotRead(pathText, path, namedBy, t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        throw cannotRead(pathText, path, namedBy, "not a regular file, and nothing to read in "
                + PIPE_WAIT_MILLIS / 1000 + " s (a FIFO that nothing writes to?)");
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
