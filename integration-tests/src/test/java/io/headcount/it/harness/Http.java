package io.headcount.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends requests the way a browser, bot or script would: with its User-Agent, Referer and, as a proxy
 * in front of the app would add, X-Forwarded-For. Without {@link Request#userAgent} the JDK's own
 * {@code Java-http-client/<version>} header is sent.
 */
public final class Http {
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            // Plain HTTP/1.1, as browsers speak to a server without TLS: no h2c upgrade headers.
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public Request get(String url) {
        return new Request(url, "GET");
    }

    public Request request(String method, String url) {
        return new Request(url, method);
    }

    /** One request being described. */
    public final class Request {
        private final HttpRequest.Builder builder;
        private final String method;
        private String body;

        private Request(String url, String method) {
            this.builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
            this.method = method;
        }

        public Request userAgent(String userAgent) {
            return header("User-Agent", userAgent);
        }

        /** Sets Referer; null sends none (a direct visit). */
        public Request referer(String referer) {
            return referer == null ? this : header("Referer", referer);
        }

        /** Sets X-Forwarded-For; null sends none. */
        public Request forwardedFor(String address) {
            return address == null ? this : header("X-Forwarded-For", address);
        }

        public Request header(String name, String value) {
            builder.header(name, value);
            return this;
        }

        public Request body(String json) {
            this.body = json;
            return header("Content-Type", "application/json");
        }

        public HttpResponse<String> send() {
            builder.method(method, body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
            try {
                return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + builder.build().uri() + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        /** Sends the request and returns just the status code. */
        public int status() {
            return send().statusCode();
        }
    }
}
