package org.homeward.security;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The start page after login: who is signed in, with which roles and unit. */
@Path("/")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class HomePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(UserView user);
    }

    @Inject
    CurrentUser currentUser;

    @GET
    public TemplateInstance home() {
        return Templates.home(currentUser.view());
    }
}
