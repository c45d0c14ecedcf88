package io.sublet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.jetty.http.HttpStatus;

/**
 * The API's one error shape, RFC 9457 problem details ({@code application/problem+json}): the status, its title,
 * the detail in words, and for a bad configuration the field at fault.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Problem(@JsonProperty("type") String type, @JsonProperty("title") String title,
               @JsonProperty("status") int status, @JsonProperty("detail") String detail,
               @JsonProperty("field") String field) {
    static final String MEDIA_TYPE = "application/problem+json";

    static Problem of(final int status, final String detail, final String field) {
        return new Problem("about:blank", HttpStatus.getMessage(status), status, detail, field);
    }
}
