package org.homeward.home;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The start page after login: the person's work list (cases, candidates, referrals, inbox, photos). */
@Path("/")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class HomePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(WorkList.Items work);
    }

    @Inject
    WorkList workList;

    @GET
    public TemplateInstance home() {
        return Templates.home(workList.forMe());
    }
}
