package org.homeward.security;

import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** What a page form embeds: {@code {inject:csrf.parameterName}} and {@code {inject:csrf.token}}. */
@ApplicationScoped
@Named("csrf")
public class CsrfFormToken {

    @Inject
    CsrfTokens tokens;

    @Inject
    RoutingContext routing;

    @Inject
    CurrentUser currentUser;

    public String getParameterName() {
        return CsrfTokens.FIELD;
    }

    public String getToken() {
        return tokens.tokenFor(tokens.nonce(routing), currentUser.username());
    }
}
