package io.sublet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import io.sublet.vmm.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The API client the tests use: every request it sends and every response it gets is checked against openapi.yaml.
 * {@link #call} insists that a request is valid by the file; {@link #invalid} sends one the file must also refuse,
 * so the server and the file cannot disagree about what is allowed.
 */
final class ContractClient implements AutoCloseable {
    static final OpenApiContract CONTRACT = OpenApiContract.load();
    private final ApiClient client;

    ContractClient(final ApiClient client) {
        this.client = client;
    }

    /** A valid request (checked), and its response (checked). */
    ApiClient.Reply call(final String method, final String path, final String json) throws IOException {
        if (json != null) {
            final Set<ValidationMessage> e = CONTRACT.requestErrors(method, path, "application/json",
                    json.getBytes(StandardCharsets.UTF_8));
            assertTrue(e.isEmpty(), "the test's own request " + method + " " + path + " " + json
                    + " breaks openapi.yaml: " + e);
        } else {
            CONTRACT.operation(method, path);
        }
        return checked(method, path, client.send(method, path, json == null ? null : "application/json",
                json == null ? null : json.getBytes(StandardCharsets.UTF_8)));
    }

    /** A request openapi.yaml does not allow (the test asserts that), and the server's response (checked). */
    ApiClient.Reply invalid(final String method, final String path, final String contentType, final byte[] body)
            throws IOException {
        if (contentType != null && contentType.equals("application/json")) {
            assertTrue(!CONTRACT.requestErrors(method, path, contentType, body).isEmpty(),
                    "openapi.yaml allows the request the test means to be bad: " + new String(body,
                            StandardCharsets.UTF_8));
        }
        return checked(method, path, client.send(method, path, contentType, body));
    }

    /** Raw bytes (console input), checked against the operation's declared media type and responses. */
    ApiClient.Reply bytes(final String method, final String path, final byte[] body) throws IOException {
        assertTrue(CONTRACT.requestErrors(method, path, "application/octet-stream", body).isEmpty());
        return checked(method, path, client.send(method, path, "application/octet-stream", body));
    }

    ApiClient.Stream open(final String path) throws IOException {
        CONTRACT.operation("GET", path);
        final ApiClient.Stream s = client.open(path);
        if (s.status() != 200) {
            final byte[] body = s.body().readAllBytes();
            s.close();
            CONTRACT.checkResponse("GET", path, s.status(), s.contentType(), body);
            throw new AssertionError("GET " + path + " answered " + s.status() + ": "
                    + new String(body, StandardCharsets.UTF_8));
        }
        CONTRACT.checkResponse("GET", path, 200, s.contentType(), new byte[0]);
        return s;
    }

    private static ApiClient.Reply checked(final String method, final String path, final ApiClient.Reply r) {
        final String ct = r.contentType() == null ? null : r.contentType().split(";")[0].trim();
        CONTRACT.checkResponse(method, path, r.status(), ct, r.body());
        return r;
    }

    /** Asserts the status and returns the JSON body. */
    static JsonNode expect(final int status, final ApiClient.Reply r) throws IOException {
        assertEquals(status, r.status(), r.text());
        return r.body().length == 0 ? null : Json.MAPPER.readTree(r.body());
    }

    @Override
    public void close() {
        client.close();
    }
}
