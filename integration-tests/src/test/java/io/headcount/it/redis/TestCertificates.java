package io.headcount.it.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and server certificates signed by it, made with {@code openssl} in a temporary
 * directory for one test (valid two days, RSA 2048).
 */
final class TestCertificates {
    private final Path dir;

    TestCertificates() {
        try {
            dir = Files.createTempDirectory("headcount-tls-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Headcount test CA",
                "-keyout", caKey().toString(), "-out", caCertificate().toString());
    }

    Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    private Path caKey() {
        return dir.resolve("ca.key");
    }

    /** A key and certificate, signed by the CA, for the subject alternative name {@code san} (e.g. {@code IP:127.0.0.1}). */
    Path[] server(String name, String san) {
        Path key = dir.resolve(name + ".key");
        Path request = dir.resolve(name + ".csr");
        Path certificate = dir.resolve(name + ".crt");
        Path extensions = dir.resolve(name + ".ext");
        try {
            Files.writeString(extensions, "subjectAltName=" + san + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name, "-keyout", key.toString(),
                "-out", request.toString());
        openssl("x509", "-req", "-in", request.toString(), "-CA", caCertificate().toString(), "-CAkey", caKey().toString(),
                "-CAcreateserial", "-days", "2", "-extfile", extensions.toString(), "-out", certificate.toString());
        return new Path[] {key, certificate};
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>();
        command.add(RedisNode.requireOpenssl());
        command.addAll(Arrays.asList(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
