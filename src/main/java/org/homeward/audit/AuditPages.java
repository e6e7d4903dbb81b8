package org.homeward.audit;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.homeward.security.Roles;
import static org.homeward.web.Paging.enc;

/** The auditor's page: the trail, filtered, with the chain verified on every view. */
@Path("/audit")
@RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
@Produces(MediaType.TEXT_HTML)
public class AuditPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance trail(AuditTrail.EventPage page, AuditTrail.Filter filter,
                ChainVerification chain, String query);
    }

    @Inject
    AuditTrail trail;

    @Inject
    ChainVerifier verifier;

    @GET
    public TemplateInstance trail(@QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("objectType") String objectType, @QueryParam("objectId") String objectId,
            @QueryParam("page") int page) {
        AuditTrail.Filter filter = new AuditTrail.Filter(actor, action, objectType, objectId);
        String query = "actor=" + enc(actor) + "&action=" + enc(action) + "&objectType=" + enc(objectType)
                + "&objectId=" + enc(objectId);
        AuditTrail.EventPage events = trail.search(filter, page);
        return Templates.trail(events, filter, verifier.verify(), query);
    }

}
