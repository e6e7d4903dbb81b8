package org.homeward.faces.index;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.homeward.security.Roles;

/** The admin's page for the search index: which model searches use, and how far the worker has indexed it. */
@Path("/admin/index")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class IndexStatusPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance status(IndexStatus index);
    }

    @Inject
    IndexProgress progress;

    @GET
    public TemplateInstance status() {
        return Templates.status(progress.status());
    }
}
