package org.homeward.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** An RFC 9457 problem details body: what the API answers when a request cannot be served. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
        Map<String, String> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
