package io.headcount.bench;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.Locale;

/** A response that only keeps its status, the one thing the advice reads of it (and says it has no headers). */
public final class StatusResponse implements HttpServletResponse {
    private int status = SC_OK;

    /** What Tomcat does between two requests on the same object. */
    public void recycle() {
        status = SC_OK;
    }

    @Override
    public void setStatus(int status) {
        this.status = status;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public boolean containsHeader(String name) {
        return false;
    }

    private static UnsupportedOperationException unused() {
        return new UnsupportedOperationException("not called by the advice, HttpServlet or the benchmark's servlet");
    }

    @Override public void addCookie(Cookie cookie) { throw unused(); }
    @Override public String encodeURL(String url) { throw unused(); }
    @Override public String encodeRedirectURL(String url) { throw unused(); }
    @Override public void sendError(int sc, String msg) { throw unused(); }
    @Override public void sendError(int sc) { throw unused(); }
    @Override public void sendRedirect(String location) { throw unused(); }
    @Override public void setDateHeader(String name, long date) { throw unused(); }
    @Override public void addDateHeader(String name, long date) { throw unused(); }
    @Override public void setHeader(String name, String value) { throw unused(); }
    @Override public void addHeader(String name, String value) { throw unused(); }
    @Override public void setIntHeader(String name, int value) { throw unused(); }
    @Override public void addIntHeader(String name, int value) { throw unused(); }
    @Override public String getHeader(String name) { throw unused(); }
    @Override public Collection<String> getHeaders(String name) { throw unused(); }
    @Override public Collection<String> getHeaderNames() { throw unused(); }
    @Override public String getCharacterEncoding() { throw unused(); }
    @Override public String getContentType() { throw unused(); }
    @Override public ServletOutputStream getOutputStream() { throw unused(); }
    @Override public PrintWriter getWriter() { throw unused(); }
    @Override public void setCharacterEncoding(String charset) { throw unused(); }
    @Override public void setContentLength(int len) { throw unused(); }
    @Override public void setContentLengthLong(long len) { throw unused(); }
    @Override public void setContentType(String type) { throw unused(); }
    @Override public void setBufferSize(int size) { throw unused(); }
    @Override public int getBufferSize() { throw unused(); }
    @Override public void flushBuffer() { throw unused(); }
    @Override public void resetBuffer() { throw unused(); }
    @Override public boolean isCommitted() { throw unused(); }
    @Override public void reset() { throw unused(); }
    @Override public void setLocale(Locale loc) { throw unused(); }
    @Override public Locale getLocale() { throw unused(); }
}
