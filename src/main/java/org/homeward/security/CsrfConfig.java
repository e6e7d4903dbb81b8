package org.homeward.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How page forms are protected against cross-site request forgery (CsrfTokens, CsrfFilter). */
@ConfigMapping(prefix = "homeward.csrf")
public interface CsrfConfig {

    /** The committed key: good for the local demo only; the app warns at start while it is in use. */
    String DEMO_KEY = "homeward-demo-csrf-signing-key-not-for-production";

    /** The secret that signs each form token (HMAC-SHA256), at least 32 characters; the same on every web replica. */
    @WithDefault(DEMO_KEY)
    String signatureKey();

    /**
     * Behind TLS: the cookie is then Secure and named with the {@code __Host-} prefix, so no other host or
     * path (a sibling subdomain, a plain-HTTP page) can set or overwrite it.
     */
    @WithDefault("false")
    boolean secureCookie();
}
