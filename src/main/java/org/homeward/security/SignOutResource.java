package org.homeward.security;

import io.quarkus.oidc.IdToken;
import io.quarkus.oidc.OidcSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Signing out is a form the menu posts, checked like every other form ({@link CsrfFilter}), never a link: another
 * site cannot sign a person out by making the browser fetch a URL. Ends the session here, then at Keycloak (with the
 * ID token as the hint, so Keycloak asks nothing), which returns the browser to the home page.
 */
@Path("/logout")
@Authenticated
public class SignOutResource {

    @Inject
    OidcSession session;

    @Inject
    @IdToken
    JsonWebToken idToken;

    @ConfigProperty(name = "homeward.keycloak.url")
    String keycloak;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signOut(@Context UriInfo uri) {
        String hint = idToken.getRawToken();
        UriBuilder end = UriBuilder.fromUri(keycloak).path("protocol/openid-connect/logout")
                .queryParam("post_logout_redirect_uri", uri.getBaseUriBuilder().path("/").build());
        if (hint != null) {
            end.queryParam("id_token_hint", hint);
        }
        return session.logout().map(done -> Response.seeOther(end.build()).build());
    }
}
