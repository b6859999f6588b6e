package io.headcount.agent.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A response of the metrics endpoint, written whole; every response closes its connection. */
final class HttpResponse implements AutoCloseable {
    private final int status;
    private final StringBuilder headers = new StringBuilder();
    private byte[] body;
    private int length;
    private ScrapeRenderer.Scrape scrape;

    private HttpResponse(int status) {
        this.status = status;
    }

    /** A status with a one-line plain-text body that names it. */
    static HttpResponse status(int status) {
        HttpResponse response = new HttpResponse(status);
        byte[] text = (status + " " + reason(status) + "\n").getBytes(StandardCharsets.US_ASCII);
        return response.header("Content-Type", "text/plain; charset=utf-8").body(text, text.length);
    }

    /** 200 with a rendered scrape; closing the response frees the scrape's place. */
    static HttpResponse scrape(ScrapeRenderer.Scrape scrape) {
        HttpResponse response = new HttpResponse(200).header("Content-Type", scrape.contentType);
        if (scrape.gzipped) {
            response.header("Content-Encoding", "gzip");
        }
        response.scrape = scrape;
        return response.header("Vary", "Accept, Accept-Encoding").body(scrape.body, scrape.length);
    }

    /** 200 with a rendered page that is not a scrape; closing the response frees its place. */
    static HttpResponse page(ScrapeRenderer.Scrape page) {
        HttpResponse response = new HttpResponse(200).header("Content-Type", page.contentType);
        response.scrape = page;
        return response.body(page.body, page.length);
    }

    HttpResponse header(String name, String value) {
        headers.append(name).append(": ").append(value).append("\r\n");
        return this;
    }

    int statusCode() {
        return status;
    }

    private HttpResponse body(byte[] bytes, int bytesLength) {
        this.body = bytes;
        this.length = bytesLength;
        return this;
    }

    /** @param headOnly true for a HEAD request: headers (with the GET's Content-Length) only */
    void writeTo(OutputStream out, boolean headOnly) throws IOException {
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n" + headers
                + "Content-Length: " + length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        if (!headOnly) {
            out.write(body, 0, length);
        }
        out.flush();
    }

    @Override
    public void close() {
        if (scrape != null) {
            scrape.close();
        }
    }

    static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 413: return "Content Too Large";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 503: return "Service Unavailable";
            default: return "Error";
        }
    }
}
