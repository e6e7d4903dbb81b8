package org.homeward.faces.index;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.homeward.security.Roles;

/** The search index's progress, for admins: the search model, its faces, how many are indexed and pending. */
@Path("/api/models/index")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class IndexStatusResource {

    @Inject
    IndexProgress progress;

    @GET
    public IndexStatus status() {
        return progress.status();
    }
}
