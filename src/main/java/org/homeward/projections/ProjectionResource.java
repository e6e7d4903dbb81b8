package org.homeward.projections;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.homeward.security.Roles;

/**
 * The API of a case's aged-up projections: per searched child face, the projections (computer images, not
 * photographs) or the reason there are none, and each image.
 */
@Path("/api/cases/{id}/projections")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
public class ProjectionResource {

    @Inject
    ProjectionImages images;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<CaseProjections.Strip> list(@PathParam("id") long id) {
        return images.strips(id);
    }

    @GET
    @Path("/{projectionId}/image")
    @Produces("image/png")
    public Response image(@PathParam("id") long id, @PathParam("projectionId") long projectionId) {
        return ProjectionPages.png(images.projection(id, projectionId));
    }
}
