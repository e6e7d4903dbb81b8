package org.homeward.faces;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.homeward.security.CurrentUser;
import org.homeward.security.Roles;
import org.homeward.security.UserView;

/** The admin's page for the search index: which model searches use, and how far the worker has indexed it. */
@Path("/admin/index")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class IndexStatusPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance status(UserView user, IndexStatus index);
    }

    @Inject
    IndexProgress progress;

    @Inject
    CurrentUser currentUser;

    @GET
    public TemplateInstance status() {
        return Templates.status(currentUser.view(), progress.status());
    }
}
