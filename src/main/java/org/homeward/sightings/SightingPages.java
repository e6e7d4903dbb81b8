package org.homeward.sightings;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.homeward.cases.Sex;
import org.homeward.faces.FaceView;
import org.homeward.faces.drawn.DrawnBoxForm;
import org.homeward.faces.drawn.DrawnFaceView;
import org.homeward.faces.drawn.FaceDrawing;
import org.homeward.photos.PhotoRejected;
import org.homeward.photos.PhotoService;
import org.homeward.photos.ReceivedPhoto;
import org.homeward.security.Roles;
import org.homeward.sightings.SightingRules.SightingInvalid;
import org.homeward.web.PrivateImage;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The pages for sightings: the unit's list, recording a new one (photos first, checked live), and its candidates. */
@Path("/sightings")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
@Produces(MediaType.TEXT_HTML)
public class SightingPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(SightingService.SightingPage page);

        static native TemplateInstance form(SightingForm form, Map<String, String> errors,
                SightingSource[] sources, Sex[] sexes, List<PhotoService.Status> photos);

        static native TemplateInstance detail(SightingDetail s, SightingPageSections.Rendered sections);

        static native TemplateInstance photo(SightingDetail s, SightingDetail.Photo p,
                List<DrawnFaceView> drawn, String base, String message, String note);
    }

    @Inject
    SightingService sightings;

    @Inject
    SightingPageSections sections;

    @Inject
    PhotoService photos;

    @Inject
    FaceDrawing drawing;

    @GET
    public TemplateInstance list(@QueryParam("page") int page) {
        return Templates.list(sightings.list(page));
    }

    @GET
    @Path("/new")
    public TemplateInstance newSighting() {
        return form(new SightingForm("", "", "", "unknown", "", List.of()), Map.of());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String seenOn, @RestForm String place, @RestForm String source,
            @RestForm String sex, @RestForm String notes, @RestForm("photoId") List<String> photoIds) {
        List<Long> ids = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (String id : photoIds == null ? List.<String>of() : photoIds) {
            try {
                ids.add(Long.parseLong(id.trim()));
            } catch (NumberFormatException e) {
                errors.put("photos", "'" + id + "' is not a photo id.");
            }
        }
        // A typed line break comes as CR LF; counted as one character, as the field counted it.
        String text = notes == null ? null : notes.replace("\r\n", "\n");
        SightingForm form = new SightingForm(seenOn, place, source, sex, text, ids);
        try {
            if (!errors.isEmpty()) {
                throw new SightingInvalid(errors);
            }
            SightingDetail created = sightings.create(form);
            return Response.seeOther(URI.create("/sightings/" + created.id())).build();
        } catch (SightingInvalid e) {
            return Response.status(422).entity(form(form, e.fieldErrors())).build();
        }
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@PathParam("id") long id) {
        SightingDetail s = sightings.view(id);
        return Templates.detail(s, sections.of(s.id()));
    }

    /** One photo of the sighting large, where a person draws a face the detector missed (a face on CCTV, a crowd). */
    @GET
    @Path("/{id}/photos/{photoId}")
    public TemplateInstance photo(@PathParam("id") long id, @PathParam("photoId") long photoId,
            @QueryParam("message") String message, @QueryParam("note") String note) {
        SightingDetail s = sightings.view(id);
        SightingDetail.Photo p = s.photos().stream().filter(x -> x.photoId() == photoId).findFirst()
                .orElseThrow(() -> new NotFoundException("no photo " + photoId + " on sighting " + id));
        return Templates.photo(s, p, drawing.drawn(photoId), "/sightings/" + id + "/photos/" + photoId,
                message, note);
    }

    /** The box drawn on a sighting's photo; once indexed, the sighting is searched again with it. */
    @POST
    @Path("/{id}/photos/{photoId}/faces")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response drawFace(@PathParam("id") long id, @PathParam("photoId") long photoId, @BeanParam DrawnBoxForm form) {
        return form.submit("/sightings/" + id + "/photos/" + photoId, box -> sightings.drawFace(id, photoId, box),
                "Box received: Homeward is placing the landmarks, then searches the open cases with the face.");
    }

    /** Whether the search has finished, polled by the sighting page while it runs. */
    @GET
    @Path("/{id}/progress")
    @Produces(MediaType.APPLICATION_JSON)
    public SearchProgress progress(@PathParam("id") long id) {
        SightingDetail s = sightings.describe(id);
        return new SearchProgress(s.searchState().name(), s.candidates().size());
    }

    /** The sighting page's poll: where the search stands and how many candidates it has. */
    public record SearchProgress(String searchState, int candidates) {
    }

    /** A photo's analysis as the new-sighting page's script reads it. */
    public record PhotoAnalysis(long photoId, String state, String failureReason, long usableFaces,
            List<String> reasons) {
    }

    /** The new-sighting page's upload, one file per request; answers the photo's id and state as JSON. */
    @POST
    @Path("/photos")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(@RestForm("file") FileUpload file) {
        if (file == null) {
            throw PhotoRejected.empty();
        }
        try (ReceivedPhoto received = photos.receive(file.uploadedFile())) {
            PhotoService.Upload upload = photos.upload(received, file.contentType(), file.fileName());
            return Response.ok(photoState(upload.photo().id)).build();
        }
    }

    /** A photo's analysis, polled by the new-sighting page: state, and each face's usability and reason. */
    @GET
    @Path("/photos/{photoId}")
    @Produces(MediaType.APPLICATION_JSON)
    public PhotoAnalysis photoState(@PathParam("photoId") long photoId) {
        PhotoService.Status status = photos.status(photoId).orElseThrow(() -> new NotFoundException("no photo " + photoId));
        List<FaceView> faces = FaceView.ofPhoto(photoId);
        return new PhotoAnalysis(photoId, status.state().name(), status.failureReason(),
                faces.stream().filter(FaceView::usable).count(),
                faces.stream().filter(f -> !f.usable()).map(FaceView::qualityReason).distinct().toList());
    }

    /** The photo of a sighting, for its page. */
    @GET
    @Path("/{id}/photos/{photoId}/image")
    @Produces({"image/jpeg", "image/png", "image/webp"})
    public Response image(@PathParam("id") long id, @PathParam("photoId") long photoId) {
        // The photo's own rule decides, so the unit a candidate was referred to sees it too.
        if (!sightings.hasPhoto(id, photoId)) {
            throw new NotFoundException("no photo " + photoId + " on sighting " + id);
        }
        PhotoService.Content content = photos.content(photoId).orElseThrow(() -> new NotFoundException("no photo " + photoId));
        return PrivateImage.of(content.bytes(), content.contentType());
    }

    private TemplateInstance form(SightingForm form, Map<String, String> errors) {
        List<PhotoService.Status> chosen = new ArrayList<>();
        for (Long id : form.photoIds()) {
            photos.status(id).ifPresent(chosen::add);
        }
        return Templates.form(form, errors, SightingSource.values(), Sex.values(), chosen);
    }
}
