package io.sublet.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The API's OpenAPI file as a checker, as Firecracker's test client checks its swagger file: it finds the operation
 * of a request, says whether a request body is valid against its schema, and fails a test whose response status,
 * content type or body the file does not describe. Schemas are validated as JSON Schema 2020-12 (networknt), with
 * the document's components beside each schema so that its $refs resolve.
 */
final class OpenApiContract {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();
    private final JsonNode doc;

    private OpenApiContract(final JsonNode doc) {
        this.doc = doc;
    }

    static OpenApiContract load() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("openapi.yaml")) {
            return new OpenApiContract(YAML.readTree(in));
        } catch (IOException e) {
            throw new AssertionError("cannot read openapi.yaml", e);
        }
    }

    JsonNode document() {
        return doc;
    }

    /** The operation for a method and a concrete path (query stripped); fails when the file has none. */
    JsonNode operation(final String method, final String pathAndQuery) {
        final String path = pathAndQuery.split("\\?")[0];
        final Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields();
        while (it.hasNext()) {
            final Map.Entry<String, JsonNode> e = it.next();
            final String regex = "^" + e.getKey().replaceAll("\\{[^}]+\\}", "[^/]+") + "$";
            if (Pattern.matches(regex, path)) {
                final JsonNode op = e.getValue().path(method.toLowerCase(java.util.Locale.ROOT));
                if (op.isMissingNode()) {
                    throw new AssertionError("openapi.yaml has no " + method + " for " + e.getKey());
                }
                return op;
            }
        }
        throw new AssertionError("openapi.yaml has no path matching " + path);
    }

    /** Whether a JSON request body is what the operation's request schema allows; null when it declares none. */
    Set<ValidationMessage> requestErrors(final String method, final String path, final String contentType,
                                         final byte[] body) {
        final JsonNode content = operation(method, path).path("requestBody").path("content");
        final JsonNode media = content.path(contentType == null ? "" : contentType);
        if (media.isMissingNode()) {
            return Set.of(ValidationMessage.builder().message("content type " + contentType + " is not declared")
                    .build());
        }
        if (!contentType.equals("application/json")) {
            return Set.of();
        }
        final JsonNode instance;
        try {
            instance = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature
                    .FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (IOException e) {
            return Set.of(ValidationMessage.builder().message("not JSON: " + e.getMessage()).build());
        }
        return schema(media.path("schema")).validate(instance);
    }

    /** Fails unless the file describes this response: its status, its content type, and its body's schema. */
    void checkResponse(final String method, final String path, final int status, final String contentType,
                       final byte[] body) {
        JsonNode response = operation(method, path).path("responses").path(Integer.toString(status));
        if (response.isMissingNode()) {
            throw new AssertionError(method + " " + path + " answered " + status + ", which openapi.yaml does not"
                    + " list for it; body: " + new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
        if (response.has("$ref")) {
            response = resolve(response.path("$ref").asText());
        }
        final JsonNode content = response.path("content");
        if (content.isMissingNode()) {
            if (body.length != 0) {
                throw new AssertionError(method + " " + path + " " + status + " should have no body, has "
                        + body.length + " bytes");
            }
            return;
        }
        final JsonNode media = content.path(contentType == null ? "" : contentType);
        if (media.isMissingNode()) {
            throw new AssertionError(method + " " + path + " " + status + " answered " + contentType + "; openapi.yaml"
                    + " says " + content.fieldNames().next());
        }
        if (contentType.endsWith("json")) {
            final JsonNode instance;
            try {
                instance = new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError(method + " " + path + " answered malformed JSON", e);
            }
            final Set<ValidationMessage> errors = schema(media.path("schema")).validate(instance);
            if (!errors.isEmpty()) {
                throw new AssertionError(method + " " + path + " " + status + " body does not match openapi.yaml: "
                        + errors.stream().map(ValidationMessage::getMessage).collect(Collectors.joining("; "))
                        + "\nbody: " + instance);
            }
        }
    }

    /** Validates one JSON value against a named component schema (for event stream frames). */
    Set<ValidationMessage> componentErrors(final String component, final JsonNode instance) {
        final ObjectNode ref = new ObjectMapper().createObjectNode().put("$ref", "#/components/schemas/" + component);
        return schema(ref).validate(instance);
    }

    private JsonNode resolve(final String ref) {
        return doc.at(ref.substring(1));
    }

    private JsonSchema schema(final JsonNode schema) {
        final ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("components", doc.path("components"));
        root.set("allOf", new ObjectMapper().createArrayNode().add(schema));
        return FACTORY.getSchema(root, CONFIG);
    }
}
