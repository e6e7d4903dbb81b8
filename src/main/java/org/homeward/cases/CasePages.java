package org.homeward.cases;

import static org.homeward.web.Paging.enc;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.homeward.cases.CaseRules.CaseEditConflict;
import org.homeward.cases.CaseRules.CaseInvalid;
import org.homeward.faces.drawn.DrawnBoxForm;
import org.homeward.faces.drawn.DrawnFaceView;
import org.homeward.faces.drawn.FaceDrawing;
import org.homeward.photos.PhotoService;
import org.homeward.photos.ReceivedPhoto;
import org.homeward.security.CurrentUser;
import org.homeward.security.Roles;
import org.homeward.web.PrivateImage;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The investigator's pages for case files: list, new, edit, and the case page with photos and faces. */
@Path("/cases")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
@Produces(MediaType.TEXT_HTML)
public class CasePages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(CaseService.CasePage page, CaseService.Filter filter, ListOrder order,
                List<String> units);

        static native TemplateInstance form(CaseFormFields form, Map<String, String> errors,
                String problem, Long caseId);

        static native TemplateInstance detail(CaseDetail c, boolean canSupervise, String message,
                String notice, Note note, CasePageSections.Rendered sections, List<CaseTimeline.Entry> timeline);

        static native TemplateInstance photo(CaseDetail c, CaseDetail.Photo p, List<DrawnFaceView> drawn,
                String base, String message, String note, PhotoSubject[] subjects);
    }

    @Inject
    CaseService cases;

    @Inject
    CasePageSections sections;

    @Inject
    CaseTimeline timeline;

    @Inject
    PhotoService photos;

    @Inject
    FaceDrawing drawing;

    @Inject
    CurrentUser currentUser;

    @GET
    public TemplateInstance list(@QueryParam("q") String text, @QueryParam("status") String status,
            @QueryParam("unit") String unit, @QueryParam("minAge") String minAge, @QueryParam("maxAge") String maxAge,
            @QueryParam("sort") String sort, @QueryParam("dir") String dir, @QueryParam("page") int page) {
        CaseService.Filter filter = new CaseService.Filter(text, parseStatus(status), unit, parseInt(minAge),
                parseInt(maxAge));
        String query = "q=" + enc(text) + "&status=" + enc(status) + "&unit=" + enc(unit) + "&minAge=" + enc(minAge)
                + "&maxAge=" + enc(maxAge);
        ListOrder order = new ListOrder(query, CaseSort.of(sort), "rev".equals(dir));
        return Templates.list(cases.search(filter, order.sort(), order.reversed(), page), filter,
                order, cases.visibleUnits());
    }

    /** The case list's order, and the links its column headings carry: a second click on a column reverses it. */
    public record ListOrder(String filterQuery, CaseSort sort, boolean reversed) {

        /** The list's address in this order, for the pager. */
        public String query() {
            return filterQuery + "&sort=" + sort + (reversed ? "&dir=rev" : "");
        }

        public String href(String column) {
            boolean reverse = sort.name().equals(column) && !reversed;
            return "/cases?" + filterQuery + "&sort=" + column + (reverse ? "&dir=rev" : "");
        }

        /** The heading's aria-sort: the direction the list is in when sorted by this column, else none. */
        public String ariaSort(String column) {
            if (!sort.name().equals(column)) {
                return "none";
            }
            return sort.ascending(reversed) ? "ascending" : "descending";
        }

        public String arrow(String column) {
            return switch (ariaSort(column)) {
                case "ascending" -> " ▲";
                case "descending" -> " ▼";
                default -> "";
            };
        }
    }

    @GET
    @Path("/new")
    public TemplateInstance newCase() {
        return Templates.form(CaseFormFields.empty(), Map.of(), null, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@BeanParam CaseFormFields fields) {
        Map<String, String> parseErrors = fields.parseErrors();
        try {
            if (!parseErrors.isEmpty()) {
                throw new CaseInvalid(parseErrors);
            }
            CaseDetail created = cases.create(fields.toForm());
            return seeOther("/cases/" + created.id());
        } catch (CaseInvalid e) {
            return Response.status(422)
                    .entity(Templates.form(fields, e.fieldErrors(), null, null)).build();
        }
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@PathParam("id") long id, @QueryParam("message") String message,
            @QueryParam("notice") String notice) {
        return detailPage(id, message, notice, Note.EMPTY);
    }

    private TemplateInstance detailPage(long id, String message, String notice, Note note) {
        CaseDetail c = cases.view(id);
        return Templates.detail(c, canSupervise(), message, notice, note, sections.of(c), timeline.of(c));
    }

    @GET
    @Path("/{id}/edit")
    public TemplateInstance edit(@PathParam("id") long id) {
        return Templates.form(CaseFormFields.of(cases.view(id)), Map.of(), null, id);
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("id") long id, @BeanParam CaseFormFields fields) {
        try {
            Map<String, String> parseErrors = fields.parseErrors();
            if (!parseErrors.isEmpty()) {
                throw new CaseInvalid(parseErrors);
            }
            cases.update(id, fields.toForm());
            return seeOther("/cases/" + id + "?notice=" + enc("Case details saved."));
        } catch (CaseInvalid e) {
            return Response.status(422)
                    .entity(Templates.form(fields, e.fieldErrors(), null, id)).build();
        } catch (CaseEditConflict e) {
            return Response.status(409)
                    .entity(Templates.form(fields, Map.of(), e.getMessage(), id)).build();
        }
    }

    @POST
    @Path("/{id}/status")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changeStatus(@PathParam("id") long id, @RestForm String status, @RestForm String reason,
            @RestForm Long version) {
        return guarded(id, () -> cases.changeStatus(id, parseStatus(status), reason, version),
                "Status changed to " + status + ".");
    }

    @POST
    @Path("/{id}/notes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response addNote(@PathParam("id") long id, @RestForm String body) {
        try {
            cases.addNote(id, body);
            return seeOther("/cases/" + id + "?notice=" + enc("Note added to the timeline.") + "#timeline");
        } catch (CaseInvalid e) {
            // The case page again with what was typed and the field's own message: a long note is never lost.
            Note note = new Note(body, e.fieldErrors().getOrDefault("body", e.getMessage()));
            return Response.status(422)
                    .entity(detailPage(id, null, null, note)).build();
        }
    }

    /** The note form's text and its message when a note was refused; empty otherwise. */
    public record Note(String body, String error) {
        static final Note EMPTY = new Note(null, null);
    }

    @POST
    @Path("/{id}/assignments")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response assign(@PathParam("id") long id, @RestForm String username) {
        return guarded(id, () -> cases.assign(id, username), "Assigned to " + username + ".");
    }

    @POST
    @Path("/{id}/photos/{photoId}/child-face")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response markChildFace(@PathParam("id") long id, @PathParam("photoId") long photoId,
            @RestForm long faceId) {
        return guarded(id, () -> {
            boolean relative = cases.markChildFace(id, photoId, faceId).photos().stream()
                    .anyMatch(p -> p.photoId() == photoId && p.shows().relative());
            return relative ? "Marked as the relative: only that face of photo " + photoId + " steers the projections."
                    : "Marked as the child: only that face of photo " + photoId + " is searched.";
        });
    }

    /** One childhood photo large, with its faces, where a person draws the face the detector missed. */
    @GET
    @Path("/{id}/photos/{photoId}")
    public TemplateInstance photo(@PathParam("id") long id, @PathParam("photoId") long photoId,
            @QueryParam("message") String message, @QueryParam("note") String note) {
        CaseDetail c = cases.view(id);
        CaseDetail.Photo p = c.photos().stream().filter(x -> x.photoId() == photoId).findFirst()
                .orElseThrow(() -> new CaseRules.CaseNotFound(id + " / photo " + photoId));
        return Templates.photo(c, p, drawing.drawn(photoId), "/cases/" + id + "/photos/" + photoId,
                message, note, PhotoSubject.values());
    }

    /** The box drawn on the photo page; a refused box comes back as the page's message, nothing stored. */
    @POST
    @Path("/{id}/photos/{photoId}/faces")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response drawFace(@PathParam("id") long id, @PathParam("photoId") long photoId, @BeanParam DrawnBoxForm form) {
        return form.submit("/cases/" + id + "/photos/" + photoId, box -> cases.drawFace(id, photoId, box),
                "Box received: Homeward is placing the landmarks and indexing the face.");
    }

    /** Corrects when the photo was taken or the child's age on it; a refused value comes back as the page's message. */
    @POST
    @Path("/{id}/photos/{photoId}/facts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response updatePhotoFacts(@PathParam("id") long id, @PathParam("photoId") long photoId,
            @RestForm String takenOn, @RestForm String ageAtPhoto, @RestForm String shows) {
        String page = "/cases/" + id + "/photos/" + photoId;
        try {
            cases.updatePhotoFacts(id, photoId, parsePhotoDate(takenOn), parseAge(ageAtPhoto), PhotoSubject.parse(shows));
            return seeOther(page + "?note=" + enc("Saved. The projections are planned again from the corrected age."));
        } catch (CaseInvalid e) {
            return seeOther(page + "?message=" + enc(e.getMessage()));
        }
    }

    @POST
    @Path("/{id}/photos/{photoId}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response removePhoto(@PathParam("id") long id, @PathParam("photoId") long photoId) {
        cases.removePhoto(id, photoId);
        return seeOther("/cases/" + id + "?notice=" + enc("Photo " + photoId + " removed from the case: its faces are no longer searched."));
    }

    /** The drop zone's upload, one file per request so each shows its own progress; answers JSON. */
    @POST
    @Path("/{id}/photos")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(@PathParam("id") long id, @RestForm("file") FileUpload file, @RestForm String takenOn,
            @RestForm String ageAtPhoto, @RestForm String shows) {
        if (file == null) {
            throw new CaseInvalid(Map.of("file", "Choose a photo to upload."));
        }
        LocalDate date = parsePhotoDate(takenOn);
        Float age = parseAge(ageAtPhoto);
        PhotoSubject subject = PhotoSubject.parse(shows);
        try (ReceivedPhoto received = photos.receive(file.uploadedFile())) {
            cases.attachPhoto(id, received, file.contentType(), file.fileName(), date, age, subject);
        }
        return Response.ok(new Uploaded(file.fileName())).build();
    }

    /** Processing progress of the case's photos, polled by the case page while any is unfinished. */
    @GET
    @Path("/{id}/progress")
    @Produces(MediaType.APPLICATION_JSON)
    public List<PhotoProgress> progress(@PathParam("id") long id) {
        return cases.describe(id).photos().stream()
                .map(p -> new PhotoProgress(p.photoId(), p.state().name(), p.faces().size(), drawing.pending(p.photoId())))
                .toList();
    }

    /** One photo's progress as the case page's script reads it: its state, faces found, drawn boxes waiting. */
    public record PhotoProgress(long photoId, String state, int faces, long drawing) {
    }

    /** What the case page's upload script is told: the file taken. */
    public record Uploaded(String uploaded) {
    }

    @GET
    @Path("/{id}/photos/{photoId}/image")
    @Produces({"image/jpeg", "image/png", "image/webp"})
    public Response image(@PathParam("id") long id, @PathParam("photoId") long photoId) {
        cases.describe(id);
        PhotoService.Content content = photos.content(photoId)
                .orElseThrow(() -> new CaseRules.CaseNotFound(id + " / photo " + photoId));
        return PrivateImage.of(content.bytes(), content.contentType());
    }

    private Response guarded(long id, Runnable action, String done) {
        return guarded(id, () -> {
            action.run();
            return done;
        });
    }

    /** Runs {@code action}, which answers the notice to show; a refusal comes back as the case page's message. */
    private Response guarded(long id, Supplier<String> action) {
        try {
            return seeOther("/cases/" + id + "?notice=" + enc(action.get()));
        } catch (CaseInvalid | CaseEditConflict e) {
            return seeOther("/cases/" + id + "?message=" + enc(e.getMessage()));
        }
    }

    private boolean canSupervise() {
        return currentUser.hasRole(Roles.SUPERVISOR) || currentUser.hasRole(Roles.ADMIN);
    }

    private static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    private static CaseStatus parseStatus(String status) {
        return Arrays.stream(CaseStatus.values()).filter(s -> s.name().equals(status)).findFirst().orElse(null);
    }

    private static Integer parseInt(String value) {
        try {
            return value == null || value.isBlank() ? null : Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static LocalDate parsePhotoDate(String value) {
        Map<String, String> errors = new HashMap<>();
        LocalDate date = CaseFormFields.parseDate(value, "takenOn", errors);
        if (!errors.isEmpty()) {
            throw new CaseInvalid(errors);
        }
        return date;
    }

    private static Float parseAge(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Float.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new CaseInvalid(Map.of("ageAtPhoto", "The age must be a number of years."));
        }
    }

}
