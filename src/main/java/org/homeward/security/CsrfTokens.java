package org.homeward.security;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Signed double-submit tokens for page forms. The browser holds a random nonce in an HttpOnly, SameSite=Strict
 * cookie; each form carries HMAC(key, nonce, user). A cookie planted by a same-site attacker is useless
 * without the key, and a pair taken from the attacker's own session does not verify for anyone else.
 * The nonce stays the same for the browser session, so images and progress polls never invalidate an
 * open form (Quarkus' signed tokens are renewed on every GET).
 */
@ApplicationScoped
public class CsrfTokens {

    /** The form field that carries the token; templates read it as {@code {inject:csrf.parameterName}}. */
    public static final String FIELD = "csrf-token";

    private static final Logger LOG = Logger.getLogger(CsrfTokens.class);
    private static final String NONCE_KEY = "homeward.csrf.nonce";
    private static final int NONCE_BYTES = 32;
    private static final int MIN_KEY_LENGTH = 32;

    private final SecureRandom random = new SecureRandom();

    @Inject
    CsrfConfig config;

    void checkKey(@Observes StartupEvent start) {
        if (config.signatureKey().length() < MIN_KEY_LENGTH) {
            throw new IllegalStateException("homeward.csrf.signature-key (HOMEWARD_CSRF_KEY) must have at least "
                    + MIN_KEY_LENGTH + " characters");
        }
        if (CsrfConfig.DEMO_KEY.equals(config.signatureKey())) {
            LOG.warn("page forms are signed with the committed demo key: set HOMEWARD_CSRF_KEY to a secret of your own");
        }
    }

    public String cookieName() {
        return config.secureCookie() ? "__Host-csrf-token" : "csrf-token";
    }

    /** The nonce this request's browser holds; a new one (and its cookie on the response) when it holds none. */
    String nonce(RoutingContext routing) {
        String known = routing.get(NONCE_KEY);
        if (known != null) {
            return known;
        }
        String nonce = presented(routing);
        if (nonce == null) {
            byte[] bytes = new byte[NONCE_BYTES];
            random.nextBytes(bytes);
            nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (!routing.response().headWritten()) {
                routing.response().addCookie(Cookie.cookie(cookieName(), nonce).setPath("/").setHttpOnly(true)
                        .setSecure(config.secureCookie()).setSameSite(CookieSameSite.STRICT));
            }
        }
        routing.put(NONCE_KEY, nonce);
        return nonce;
    }

    /** The nonce the request's cookie carries, when it is one Homeward could have made; otherwise null. */
    String presented(RoutingContext routing) {
        Cookie cookie = routing.request().getCookie(cookieName());
        if (cookie == null) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(cookie.getValue()).length == NONCE_BYTES ? cookie.getValue() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The token a form of this user in this browser must carry. */
    public String tokenFor(String nonce, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(config.signatureKey().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(nonce.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
            mac.update(username.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether the token was made for this nonce and user; compared in constant time. */
    boolean matches(String token, String nonce, String username) {
        return token != null && nonce != null && MessageDigest.isEqual(
                token.getBytes(StandardCharsets.US_ASCII), tokenFor(nonce, username).getBytes(StandardCharsets.US_ASCII));
    }
}
