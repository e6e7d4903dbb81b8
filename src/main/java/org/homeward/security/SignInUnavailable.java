package org.homeward.security;

import io.quarkus.oidc.OIDCException;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.homeward.web.Problem;
import org.jboss.logging.Logger;

/**
 * What a person and an API client get while Keycloak cannot be reached: a page that says sign-in is unavailable
 * and to try again shortly (503, Retry-After), and a problem+json 503 for the API, instead of a bare 401 or a 500.
 * Someone already signed in keeps working as long as their session's tokens can still be checked.
 */
@ApplicationScoped
public class SignInUnavailable {

    private static final Logger LOG = Logger.getLogger(SignInUnavailable.class);
    /** Before the security checks, after nothing that matters to them. */
    private static final int PRIORITY = 100;
    static final String RETRY_AFTER_SECONDS = "30";

    @Inject
    IdentityServiceStatus keycloak;

    void register(@Observes Filters filters) {
        filters.register(this::beforeSignIn, PRIORITY);
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::onFailure);
    }

    /** A page that would send the browser to Keycloak's login, while Keycloak does not answer. */
    void beforeSignIn(RoutingContext routing) {
        if (keycloak.reachable() || routing.request().method() != HttpMethod.GET || !isPage(routing.normalizedPath())
                || hasSession(routing)) {
            routing.next();
            return;
        }
        page(routing);
    }

    void onFailure(RoutingContext routing) {
        if (!(routing.failure() instanceof OIDCException) || routing.response().headWritten()) {
            routing.next();
            return;
        }
        LOG.warnf("%s %s: Keycloak cannot be reached (%s)", routing.request().method(), routing.normalizedPath(),
                routing.failure().getMessage());
        if (routing.normalizedPath().startsWith("/api/")) {
            routing.response().setStatusCode(503).putHeader("Retry-After", RETRY_AFTER_SECONDS)
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end("{\"type\":\"/problems/identity-service-unavailable\",\"title\":\"Sign-in service unavailable\","
                            + "\"status\":503,\"detail\":\"Homeward cannot reach Keycloak to check the token; try again"
                            + " in a minute.\"}");
        } else {
            page(routing);
        }
    }

    private static boolean isPage(String path) {
        return !(path.startsWith("/api/") || path.startsWith("/q/") || path.startsWith("/static/")
                || path.equals("/favicon.ico"));
    }

    private static boolean hasSession(RoutingContext routing) {
        return routing.request().cookies().stream().anyMatch(c -> c.getName().startsWith("q_session"));
    }

    private static void page(RoutingContext routing) {
        routing.response().setStatusCode(503).putHeader("Retry-After", RETRY_AFTER_SECONDS)
                .putHeader("Content-Type", "text/html;charset=UTF-8").end("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Sign-in unavailable · Homeward</title><link rel="stylesheet" href="/static/homeward.css"></head>
                <body><header><a class="brand" href="/">Homeward</a></header><main>
                <section class="card"><h1 id="error-title">Sign-in is unavailable right now</h1>
                <p id="error-detail">Homeward cannot reach its sign-in service (Keycloak). Nothing was lost: try again
                in a minute, and tell your administrator if it lasts.</p><p><a href="/">Try again</a></p></section>
                </main></body></html>""");
    }
}
