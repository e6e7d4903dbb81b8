package org.homeward.faces;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.homeward.faces.drawn.DrawnFaceView;
import org.homeward.faces.drawn.FaceDrawing;
import org.homeward.security.Roles;

/** The faces of a photo in the photos API: those the worker found, and a box a person draws around a missed one. */
@Path("/api/photos/{id}/faces")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class PhotoFacesResource {

    @Inject
    PhotoFaces faces;

    @Inject
    FaceDrawing drawing;

    @GET
    public List<FaceView> faces(@PathParam("id") long id) {
        return faces.of(id).orElseThrow(() -> new NotFoundException("no photo " + id));
    }

    /**
     * A box drawn around a face the detector missed (x, y, width, height in the photo's pixels): accepted for the
     * worker to place its landmarks and index it (202, the drawn box's location); a refused box is a problem.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response draw(@PathParam("id") long id, FaceDrawing.Box box, @Context UriInfo uri) {
        DrawnFaceView drawn = drawing.draw(id, box);
        return Response.accepted(drawn).location(uri.getBaseUriBuilder().path("api/photos/{id}/drawn-faces/{drawn}")
                .build(id, drawn.id())).build();
    }
}
