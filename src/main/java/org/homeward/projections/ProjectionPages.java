package org.homeward.projections;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.homeward.security.Roles;

/** The projection images the case page's strip shows, to those who may see the case. */
@Path("/cases/{id}/projections")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
public class ProjectionPages {

    @Inject
    ProjectionImages images;

    @GET
    @Path("/{projectionId}/image")
    @Produces("image/png")
    public Response image(@PathParam("id") long id, @PathParam("projectionId") long projectionId) {
        return png(images.projection(id, projectionId));
    }

    @GET
    @Path("/faces/{faceId}/source")
    @Produces("image/png")
    public Response source(@PathParam("id") long id, @PathParam("faceId") long faceId) {
        return png(images.source(id, faceId));
    }

    static Response png(byte[] bytes) {
        return Response.ok(bytes, "image/png").header("Cache-Control", "private, no-store").build();
    }
}
