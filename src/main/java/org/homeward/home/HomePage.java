package org.homeward.home;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.homeward.security.CurrentUser;
import org.homeward.security.UserView;

/** The start page after login: the person's work list (cases, candidates, referrals, inbox, photos). */
@Path("/")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class HomePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(UserView user, WorkList.Items work);
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    WorkList workList;

    @GET
    public TemplateInstance home() {
        return Templates.home(currentUser.view(), workList.forMe());
    }
}
