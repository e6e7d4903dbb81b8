package org.homeward.audit;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/** The request id and client address an audit event records; set once per HTTP request. */
@RequestScoped
public class RequestOrigin {

    static final String REQUEST_ID_HEADER = "X-Request-Id";

    @Inject
    HttpServerRequest request;

    private String requestId;

    public String requestId() {
        if (requestId == null) {
            String given = request.getHeader(REQUEST_ID_HEADER);
            // A caller's id is kept only when it looks like an id, so the trail holds no free text from outside.
            requestId = given != null && given.matches("[A-Za-z0-9._-]{1,64}") ? given : UUID.randomUUID().toString();
        }
        return requestId;
    }

    public String clientAddress() {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
