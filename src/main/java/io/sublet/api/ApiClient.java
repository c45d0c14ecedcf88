package io.sublet.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Transport;

/** A client of the API over its UNIX socket, or over TCP with the bearer token: what the CLI and the tests use. */
public final class ApiClient implements AutoCloseable {
    private final HttpClient http = new HttpClient();
    private final Transport transport;
    private final String base;
    private final String token;
    private final String where;

    /** The reply to one request. */
    public record Reply(int status, String contentType, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private ApiClient(final Transport transport, final String base, final String token, final String where)
            throws IOException {
        this.where = where;
        this.transport = transport;
        this.base = base;
        this.token = token;
        http.setConnectTimeout(5000);
        try {
            http.start();
        } catch (Exception e) {
            throw new IOException("cannot start the HTTP client: " + e.getMessage(), e);
        }
    }

    public static ApiClient unix(final Path socket) throws IOException {
        return new ApiClient(new Transport.TCPUnix(socket), "http://localhost", null, socket.toString());
    }

    /** @param token the bearer token, or null to send none */
    public static ApiClient tcp(final String hostPort, final String token) throws IOException {
        return new ApiClient(null, "http://" + hostPort, token, hostPort);
    }

    private Request request(final String method, final String path) {
        final Request r = http.newRequest(base + path).method(method).timeout(10, TimeUnit.MINUTES);
        if (transport != null) {
            r.transport(transport);
        }
        if (token != null) {
            r.headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + token));
        }
        return r;
    }

    public Reply send(final String method, final String path, final String contentType, final byte[] body)
            throws IOException {
        final Request r = request(method, path);
        if (body != null) {
            r.body(new BytesRequestContent(contentType, body));
        }
        try {
            final ContentResponse c = r.send();
            return new Reply(c.getStatus(), c.getMediaType(), c.getContent());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (Exception e) {
            throw new IOException("cannot reach the Sublet daemon at " + where() + ": " + rootCause(e), e);
        }
    }

    public Reply get(final String path) throws IOException {
        return send("GET", path, null, null);
    }

    public Reply postJson(final String path, final String json) throws IOException {
        return send("POST", path, "application/json", json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    /** An open streaming response: read {@code body}, close it to stop. */
    public record Stream(int status, String contentType, InputStream body) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** Opens a streaming GET (events, console). A non-200 status comes with the problem body to read. */
    public Stream open(final String path) throws IOException {
        final InputStreamResponseListener listener = new InputStreamResponseListener();
        request("GET", path).timeout(0, TimeUnit.SECONDS).idleTimeout(0, TimeUnit.SECONDS).send(listener);
        final Response response;
        try {
            response = listener.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("cannot reach the Sublet daemon at " + where() + ": " + rootCause(e), e);
        }
        final String ct = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return new Stream(response.getStatus(), ct == null ? null : ct.split(";")[0].trim(),
                listener.getInputStream());
    }

    /** Opens a streaming GET and fails with the problem's text unless it is 200. */
    public InputStream stream(final String path) throws IOException {
        final Stream s = open(path);
        if (s.status() != 200) {
            final String body = new String(s.body().readAllBytes(), StandardCharsets.UTF_8);
            s.close();
            throw new IOException("HTTP " + s.status() + ": " + body);
        }
        return s.body();
    }

    private String where() {
        return where;
    }

    private static String rootCause(final Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // nothing left to release
        }
    }
}
