package org.homeward.referrals;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.homeward.security.Roles;
import org.homeward.web.RuleViolation;
import static org.homeward.web.Paging.enc;

/** The referrals page (to and from the person's unit) and the case unit's "share the case" action. */
@Path("/referrals")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
@Produces(MediaType.TEXT_HTML)
public class ReferralPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<ReferralView> referrals);
    }

    @Inject
    ReferralService referrals;

    @GET
    public TemplateInstance list() {
        return Templates.list(referrals.mine());
    }

    /** Back to the candidate page, with what happened (or why not) said there. */
    @POST
    @Path("/{id}/sharing")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response share(@PathParam("id") long id) {
        String candidate = "/candidates/" + referrals.get(id).candidateId();
        try {
            ReferralView r = referrals.share(id);
            return Response.seeOther(URI.create(candidate + "?note="
                    + enc("The case's reference and the child's name are now shown to unit " + r.fromUnit() + "."))).build();
        } catch (RuleViolation e) {
            return Response.seeOther(URI.create(candidate + "?message=" + enc(e.getMessage()))).build();
        }
    }
}
