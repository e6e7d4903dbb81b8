package org.homeward.security;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Whether Keycloak answers, checked every few seconds in the background (its discovery document), so that a page
 * can say "sign-in is unavailable" at once instead of failing a login it cannot start. Quarkus OIDC reconnects by
 * itself on the first request after Keycloak is back; this only decides what a person sees meanwhile.
 */
@ApplicationScoped
public class IdentityServiceStatus {

    private static final Logger LOG = Logger.getLogger(IdentityServiceStatus.class);
    private static final long PERIOD_MS = 5_000;

    @ConfigProperty(name = "homeward.keycloak.url")
    String keycloak;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    /** Null while Keycloak answers; otherwise why it does not. Starts as answering until the first check says. */
    private final AtomicReference<String> problem = new AtomicReference<>();

    void start(@Observes StartupEvent start, Vertx vertx) {
        check();
        vertx.setPeriodic(PERIOD_MS, id -> check());
    }

    public boolean reachable() {
        return problem.get() == null;
    }

    /** Why Keycloak is not reachable, for the log; null when it is. */
    public String problem() {
        return problem.get();
    }

    void check() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(keycloak + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(4)).GET().build();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            String now = failure != null ? failure.getClass().getSimpleName() + " " + failure.getMessage()
                    : response.statusCode() == 200 ? null : "HTTP " + response.statusCode();
            String before = problem.getAndSet(now);
            if (now != null && before == null) {
                LOG.warnf("Keycloak is not reachable at %s (%s): pages say sign-in is unavailable", keycloak, now);
            } else if (now == null && before != null) {
                LOG.infof("Keycloak answers again at %s", keycloak);
            }
        });
    }
}
