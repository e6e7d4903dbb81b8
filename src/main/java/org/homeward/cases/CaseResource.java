package org.homeward.cases;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.homeward.security.Roles;

/** The case files API. Auditors read the trail, never case content. */
@Path("/api/cases")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class CaseResource {

    @Inject
    CaseService cases;

    @GET
    public List<CaseSummary> list() {
        return cases.listVisible();
    }
}
