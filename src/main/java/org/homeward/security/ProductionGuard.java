package org.homeward.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * In production (HOMEWARD_MODE=production) Homeward refuses to start with any secret the repository publishes for
 * the local demo, without TLS to Keycloak, or without Secure cookies: a deployment that forgot one fails at once,
 * naming every setting to change, instead of running with a password anyone can read on the internet. The demo
 * (the default mode) keeps its committed defaults and says so in the log. The checklist is docs/deployment.md.
 */
@ApplicationScoped
public class ProductionGuard {

    private static final Logger LOG = Logger.getLogger(ProductionGuard.class);

    /** Each published demo value, by the property that must not hold it in production, and where to set yours. */
    static final Map<String, String[]> DEMO_VALUES = Map.of(
            "quarkus.oidc.credentials.secret", new String[] {"homeward-web-secret", "HOMEWARD_OIDC_SECRET"},
            "homeward.csrf.signature-key", new String[] {"homeward-demo-csrf-signing-key-not-for-production", "HOMEWARD_CSRF_KEY"},
            "quarkus.datasource.password", new String[] {"homeward_app", "HOMEWARD_PG_APP_PASSWORD"},
            "quarkus.flyway.password", new String[] {"homeward", "HOMEWARD_PG_PASSWORD"},
            "homeward.audit.checkpoint-key",
            new String[] {"homeward-demo-audit-checkpoint-key-not-for-production", "HOMEWARD_AUDIT_KEY"},
            "quarkus.oidc.authentication.state-secret",
            new String[] {"homeward-demo-pkce-state-secret-not-for-production", "HOMEWARD_OIDC_STATE_SECRET"});

    /** What stands in the way of running in production; empty when nothing does. */
    static List<String> violations(Map<String, Optional<String>> settings) {
        List<String> out = new ArrayList<>();
        DEMO_VALUES.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String value = settings.getOrDefault(e.getKey(), Optional.empty()).orElse("");
            if (value.isBlank() || value.equals(e.getValue()[0])) {
                out.add(e.getKey() + " is " + (value.isBlank() ? "empty" : "the published demo value")
                        + ": set " + e.getValue()[1] + " to a secret of your own");
            }
        });
        String csrfKey = settings.getOrDefault("homeward.csrf.signature-key", Optional.empty()).orElse("");
        if (!csrfKey.isBlank() && csrfKey.length() < 32) {
            out.add("homeward.csrf.signature-key is shorter than 32 characters: set HOMEWARD_CSRF_KEY to a longer secret");
        }
        String keycloak = settings.getOrDefault("homeward.keycloak.url", Optional.empty()).orElse("");
        if (!keycloak.startsWith("https://")) {
            out.add("homeward.keycloak.url is " + keycloak + ": tokens and passwords must travel over TLS;"
                    + " set HOMEWARD_KEYCLOAK_URL to https://...");
        }
        if (!settings.getOrDefault("homeward.csrf.secure-cookie", Optional.empty()).orElse("false").equals("true")) {
            out.add("homeward.csrf.secure-cookie is off: serve Homeward behind TLS and set HOMEWARD_SECURE_COOKIES=true");
        }
        if (settings.getOrDefault("homeward.photos.encryption.enabled", Optional.empty()).orElse("true").equals("false")) {
            out.add("homeward.photos.encryption.enabled is false: children's photos must be encrypted at rest");
        }
        if (settings.getOrDefault("homeward.photos.s3.secret-key", Optional.empty()).orElse("").equals("homeward-s3-demo")) {
            out.add("homeward.photos.s3.secret-key is the local S3 server's published demo key: use the bucket's own"
                    + " credentials (HOMEWARD_PHOTOS_S3_SECRET_KEY) or the pod's role");
        }
        if (!settings.getOrDefault("quarkus.oidc.authentication.pkce-required", Optional.empty()).orElse("false").equals("true")) {
            out.add("quarkus.oidc.authentication.pkce-required is off: the login must use PKCE");
        }
        return out;
    }

    void check(@Observes StartupEvent event) {
        Config config = ConfigProvider.getConfig();
        String mode = config.getOptionalValue("homeward.mode", String.class).orElse("demo");
        if (!mode.equals("production")) {
            LOG.info("running in demo mode with the repository's published secrets: never expose it; HOMEWARD_MODE=production"
                    + " refuses them (docs/deployment.md)");
            return;
        }
        Map<String, Optional<String>> settings = new HashMap<>();
        List<String> keys = new ArrayList<>(DEMO_VALUES.keySet());
        keys.addAll(List.of("homeward.photos.encryption.enabled", "homeward.photos.s3.secret-key", "homeward.keycloak.url", "homeward.csrf.secure-cookie", "quarkus.oidc.authentication.pkce-required"));
        for (String key : keys) {
            settings.put(key, config.getOptionalValue(key, String.class));
        }
        List<String> problems = violations(settings);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("HOMEWARD_MODE=production refuses to start:\n - " + String.join("\n - ", problems));
        }
        LOG.info("production mode: no demo secret, TLS to Keycloak, Secure cookies, PKCE");
    }
}
