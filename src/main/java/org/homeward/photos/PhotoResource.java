package org.homeward.photos;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import org.homeward.security.Roles;
import org.homeward.web.PrivateImage;

/**
 * Photos API: upload (raw image body), processing state and the image itself. The faces found on a photo, and those
 * drawn by a person, are the faces feature's ({@code faces.PhotoFacesResource}, {@code faces.DrawnFacesResource}).
 */
@Path("/api/photos")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class PhotoResource {

    /** Optional header naming the uploaded file, kept for the people who see the photo later. */
    static final String FILENAME_HEADER = "X-Filename";

    @Inject
    PhotoService photos;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response upload(InputStream body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(FILENAME_HEADER) String filename, @Context UriInfo uri) {
        PhotoView view;
        try (ReceivedPhoto received = photos.receive(body)) {
            view = photos.describe(photos.upload(received, contentType, filename));
        }
        // New bytes and bytes already here are answered alike (201, the photo's location): the status must
        // not tell the uploader that someone else already holds this image.
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(view.id())).build())
                .entity(view).build();
    }

    @GET
    @Path("/{id}")
    public PhotoView get(@PathParam("id") long id) {
        return photos.view(id).orElseThrow(() -> new NotFoundException("no photo " + id));
    }

    @GET
    @Path("/{id}/content")
    @Produces({"image/jpeg", "image/png", "image/webp"})
    public Response content(@PathParam("id") long id) {
        PhotoService.Content content = photos.content(id).orElseThrow(() -> new NotFoundException("no photo " + id));
        return PrivateImage.of(content.bytes(), content.contentType());
    }
}
