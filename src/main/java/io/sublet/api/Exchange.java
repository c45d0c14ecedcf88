package io.sublet.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.sublet.vmm.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** One request and its response, with the few things every handler needs: the body (bounded), JSON, the reply. */
final class Exchange {
    /** The largest request body the API takes; a VM definition is a few hundred bytes. */
    static final int MAX_BODY = 64 << 10;

    final Request request;
    final Response response;
    final Callback callback;
    private Fields query;

    Exchange(final Request request, final Response response, final Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
    }

    String method() {
        return request.getMethod();
    }

    String query(final String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return query.getValue(name);
    }

    /** The body, refused with 413 when larger than {@link #MAX_BODY}, whatever Content-Length claims. */
    byte[] body() throws ApiException, IOException {
        final long declared = request.getLength();
        if (declared > MAX_BODY) {
            throw new ApiException(413, "request body of " + declared + " bytes is larger than the limit of "
                    + MAX_BODY);
        }
        try (InputStream in = Request.asInputStream(request)) {
            final byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                throw new ApiException(413, "request body is larger than the limit of " + MAX_BODY + " bytes");
            }
            return b;
        }
    }

    /** The body as JSON of {@code type}; an empty body is {@code emptyValue}, or refused when that is null. */
    <T> T json(final Class<T> type, final T emptyValue) throws ApiException, IOException {
        final byte[] b = body();
        if (b.length == 0) {
            if (emptyValue != null) {
                return emptyValue;
            }
            throw new ApiException(400, "a JSON body is required");
        }
        final String ct = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "the body must be application/json, not " + ct);
        }
        try {
            return Json.MAPPER.readValue(b, type);
        } catch (UnrecognizedPropertyException e) {
            throw new ApiException(400, e.getPropertyName(), "unknown field \"" + e.getPropertyName() + "\"");
        } catch (JsonMappingException e) {
            final String field = fieldOf(e);
            throw new ApiException(400, field, (field == null ? "" : field + ": ") + "wrong type or value ("
                    + e.getOriginalMessage().split("\n")[0] + ")");
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed JSON: " + e.getOriginalMessage().split("\n")[0]);
        }
    }

    private static String fieldOf(final JsonMappingException e) {
        final StringBuilder s = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                s.append(s.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                s.append('[').append(r.getIndex()).append(']');
            }
        }
        return s.length() == 0 ? null : s.toString();
    }

    void json(final int status, final Object value) throws IOException {
        send(status, "application/json", Json.MAPPER.writeValueAsBytes(value));
    }

    void problem(final int status, final String detail, final String field) {
        try {
            if (status == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"sublet\"");
            }
            send(status, Problem.MEDIA_TYPE, Json.MAPPER.writeValueAsBytes(Problem.of(status, detail, field)));
        } catch (IOException e) {
            callback.failed(e);
        }
    }

    void text(final int status, final String contentType, final String body) {
        send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    void bytes(final int status, final String contentType, final byte[] body) {
        send(status, contentType, body);
    }

    void noContent() {
        response.setStatus(204);
        callback.succeeded();
    }

    private void send(final int status, final String contentType, final byte[] bytes) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** A blocking stream for long responses (events, console); the caller finishes the exchange when done. */
    OutputStream stream(final String contentType) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        return Content.Sink.asOutputStream(response);
    }
}
