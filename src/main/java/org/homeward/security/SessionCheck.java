package org.homeward.security;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * GET /session: 204 while the browser's sign-in holds (its tokens are refreshed on the way when they have expired),
 * a redirect to Keycloak once it does not. The pages ask before they post a form, so that what a person typed is
 * kept across signing in again instead of being lost to the login redirect (static/forms.js).
 */
@Path("/session")
@Authenticated
public class SessionCheck {

    @GET
    public Response check() {
        return Response.noContent().header("Cache-Control", "no-store").build();
    }
}
