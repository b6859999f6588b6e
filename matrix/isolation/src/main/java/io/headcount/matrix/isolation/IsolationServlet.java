package io.headcount.matrix.isolation;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * {@code GET /api/isolation}: uses the app's own Byte Buddy, Netty and Prometheus client, as an app
 * that ships them would, and answers what each did and from which jar its classes came. Any
 * {@code LinkageError} is answered as a 500 with its text.
 */
public final class IsolationServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String body;
        try {
            body = "{\"byteBuddy\":\"" + byteBuddy() + "\",\"byteBuddyJar\":\"" + jarOf(ByteBuddy.class)
                    + "\",\"netty\":\"" + netty() + "\",\"nettyJar\":\"" + jarOf(EmbeddedChannel.class)
                    + "\",\"prometheus\":\"" + prometheus() + "\",\"prometheusJar\":\"" + jarOf(Counter.class) + "\"}";
        } catch (Exception | LinkageError e) {
            response.setStatus(500);
            response.setContentType("text/plain");
            response.getWriter().write(e.toString());
            return;
        }
        response.setContentType("application/json");
        response.getWriter().write(body);
    }

    /** A class made at run time whose toString() says who made it. */
    private static String byteBuddy() throws ReflectiveOperationException {
        // An explicit class-file version: an old Byte Buddy does not know the newest JVMs' own.
        Class<?> made = new ByteBuddy(ClassFileVersion.JAVA_V11)
                .subclass(Object.class)
                .method(ElementMatchers.named("toString"))
                .intercept(FixedValue.value("made by Byte Buddy"))
                .make()
                .load(IsolationServlet.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
                .getLoaded();
        return made.getDeclaredConstructor().newInstance().toString();
    }

    /** "ping" in through a string decoder, "pong" out through an encoder, in a channel with no network. */
    private static String netty() {
        EmbeddedChannel channel = new EmbeddedChannel(new StringDecoder(StandardCharsets.UTF_8),
                new StringEncoder(StandardCharsets.UTF_8));
        try {
            channel.writeInbound(Unpooled.copiedBuffer("ping", StandardCharsets.UTF_8));
            String in = channel.readInbound();
            channel.writeOutbound("pong");
            ByteBuf out = channel.readOutbound();
            try {
                return in + "/" + out.toString(StandardCharsets.UTF_8);
            } finally {
                out.release();
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** The app's own counter, counted once in a registry of its own and written in the text format. */
    private static String prometheus() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter.builder().name("isolation_checks").help("Checks run by the isolation app.").register(registry).inc();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(text, registry.scrape());
        for (String line : text.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("#")) {
                return line;
            }
        }
        return "";
    }

    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
        } catch (URISyntaxException | RuntimeException e) {
            return "unknown: " + e;
        }
    }
}
