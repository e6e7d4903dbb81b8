package org.homeward.audit;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.UUID;

/** The request id and client address an audit event records, when the event comes from an HTTP request. */
record RequestOrigin(String requestId, String clientAddress) {

    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final String REQUEST_ID_KEY = "homeward.request-id";

    /** The origin of the HTTP request being served, or empty for the worker and commands. */
    static Optional<RequestOrigin> current() {
        if (!Arc.container().requestContext().isActive()) {
            return Optional.empty();
        }
        RoutingContext context = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        if (context == null) {
            return Optional.empty();
        }
        HttpServerRequest request = context.request();
        String id = context.get(REQUEST_ID_KEY);
        if (id == null) {
            String given = request.getHeader(REQUEST_ID_HEADER);
            // A caller's id is kept only when it looks like an id, so the trail holds no free text from outside.
            id = given != null && given.matches("[A-Za-z0-9._-]{1,64}") ? given : UUID.randomUUID().toString();
            context.put(REQUEST_ID_KEY, id);
        }
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return Optional.of(new RequestOrigin(id, address));
    }
}
