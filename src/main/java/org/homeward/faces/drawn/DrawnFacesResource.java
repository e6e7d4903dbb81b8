package org.homeward.faces.drawn;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.homeward.security.Roles;

/** Boxes people drew on a photo, and where the worker is with each (photos API). */
@Path("/api/photos/{id}/drawn-faces")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class DrawnFacesResource {

    @Inject
    FaceDrawing drawing;

    @GET
    public List<DrawnFaceView> drawn(@PathParam("id") long id) {
        return drawing.drawn(id);
    }

    @GET
    @Path("/{drawnId}")
    public DrawnFaceView drawn(@PathParam("id") long id, @PathParam("drawnId") long drawnId) {
        return drawing.drawn(id, drawnId).orElseThrow(() -> new NotFoundException("no drawn face " + drawnId));
    }
}
