package org.homeward.cases;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.Map;
import org.homeward.photos.PhotoService;
import org.homeward.photos.ReceivedPhoto;
import org.homeward.security.Roles;

/** The case files API. Auditors read the trail, never case content. */
@Path("/api/cases")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CaseResource {

    @Inject
    PhotoService photos;

    @Inject
    CaseService cases;

    public record StatusChange(CaseStatus status, String reason, Long version) {
    }

    public record Assignment(String username) {
    }

    public record NoteBody(String body) {
    }

    public record ChildFace(long faceId) {
    }

    @GET
    public CaseService.CasePage search(@QueryParam("q") String text, @QueryParam("status") CaseStatus status,
            @QueryParam("unit") String unit, @QueryParam("minAge") String minAge, @QueryParam("maxAge") String maxAge,
            @QueryParam("page") int page) {
        return cases.search(new CaseService.Filter(text, status, unit, CaseService.ageParameter("minAge", minAge),
                CaseService.ageParameter("maxAge", maxAge)), page);
    }

    @POST
    public Response create(CaseForm form, @Context UriInfo uri) {
        CaseDetail created = cases.create(form);
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.id())).build())
                .entity(created).build();
    }

    @GET
    @Path("/{id}")
    public CaseDetail get(@PathParam("id") long id) {
        return cases.view(id);
    }

    @PUT
    @Path("/{id}")
    public CaseDetail update(@PathParam("id") long id, CaseForm form) {
        return cases.update(id, form);
    }

    @POST
    @Path("/{id}/status")
    public CaseDetail changeStatus(@PathParam("id") long id, StatusChange change) {
        return cases.changeStatus(id, change.status(), change.reason(), change.version());
    }

    @POST
    @Path("/{id}/assignments")
    public CaseDetail assign(@PathParam("id") long id, Assignment assignment) {
        return cases.assign(id, assignment.username());
    }

    @POST
    @Path("/{id}/notes")
    public CaseDetail addNote(@PathParam("id") long id, NoteBody note) {
        return cases.addNote(id, note.body());
    }

    /**
     * Attaches a photo: the raw image as the body, when it was taken (or the age of the person on it) as query, and
     * {@code shows=parent} or {@code shows=sibling} for a relative's adult photo (the child's by default).
     */
    @POST
    @Path("/{id}/photos")
    @Consumes(MediaType.WILDCARD)
    public Response attachPhoto(@PathParam("id") long id, InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @HeaderParam("X-Filename") String filename,
            @QueryParam("takenOn") LocalDate takenOn, @QueryParam("ageAtPhoto") Float ageAtPhoto,
            @QueryParam("shows") String shows) {
        PhotoSubject subject = PhotoSubject.parse(shows);
        try (ReceivedPhoto received = photos.receive(body)) {
            CaseDetail detail = cases.attachPhoto(id, received, contentType, filename, takenOn, ageAtPhoto, subject);
            return Response.status(Response.Status.CREATED).entity(detail).build();
        }
    }

    /**
     * When a case photo was taken, or the age of the person on it; either may be null. {@code shows} (child, parent
     * or sibling) says who it shows; null keeps it as it was.
     */
    public record PhotoFacts(LocalDate takenOn, Float ageAtPhoto, String shows) {
    }

    /** Corrects a case photo's date or age; the projections are planned again from it. */
    @PUT
    @Path("/{id}/photos/{photoId}")
    public CaseDetail updatePhotoFacts(@PathParam("id") long id, @PathParam("photoId") long photoId, PhotoFacts facts) {
        if (facts == null) {
            throw new CaseRules.CaseInvalid(Map.of("body", "Send {\"takenOn\": \"YYYY-MM-DD\", \"ageAtPhoto\": years}."));
        }
        return cases.updatePhotoFacts(id, photoId, facts.takenOn(), facts.ageAtPhoto(), PhotoSubject.parse(facts.shows()));
    }

    /** Takes a photo off the case: its faces are no longer searched for the child. */
    @DELETE
    @Path("/{id}/photos/{photoId}")
    public Response removePhoto(@PathParam("id") long id, @PathParam("photoId") long photoId) {
        cases.removePhoto(id, photoId);
        return Response.noContent().build();
    }

    @PUT
    @Path("/{id}/photos/{photoId}/child-face")
    public CaseDetail markChildFace(@PathParam("id") long id, @PathParam("photoId") long photoId, ChildFace face) {
        return cases.markChildFace(id, photoId, face.faceId());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("id") long id, @QueryParam("reason") String reason) {
        cases.delete(id, reason);
        return Response.noContent().build();
    }
}
