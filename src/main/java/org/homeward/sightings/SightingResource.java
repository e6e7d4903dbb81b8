package org.homeward.sightings;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.homeward.security.Roles;

/**
 * Sightings API. Upload the photos first (POST /api/photos) and wait until they are analysed; then POST
 * the sighting with their ids. It is refused whole when a photo is unfinished or none shows a usable face.
 */
@Path("/api/sightings")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SightingResource {

    @Inject
    SightingService sightings;

    @POST
    public Response create(SightingForm form, @Context UriInfo uri) {
        SightingDetail created = sightings.create(form == null ? new SightingForm(null, null, null, null, null, null) : form);
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.id())).build())
                .entity(created).build();
    }

    /** One page of the caller's sightings, newest first ({@link SightingService#PAGE_SIZE} a page; page 0 first). */
    @GET
    public List<SightingDetail> list(@QueryParam("page") int page) {
        return sightings.listVisible(page);
    }

    /** The sighting with its search state and ranked candidates (poll until searchState is ready). */
    @GET
    @Path("/{id}")
    public SightingDetail get(@PathParam("id") long id) {
        return sightings.view(id);
    }
}
