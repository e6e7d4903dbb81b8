package org.homeward.review;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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
import org.homeward.security.Roles;
import org.homeward.web.RuleViolation;
import static org.homeward.web.Paging.enc;
import org.jboss.resteasy.reactive.RestForm;

/** The review pages: the queue, a candidate side by side with its evidence and verdicts, and the match report. */
@Path("/candidates")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
@Produces(MediaType.TEXT_HTML)
public class ReviewPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance queue(ReviewService.QueuePage page);

        static native TemplateInstance candidate(CandidateDetail d, String message, String note);

    }

    @Inject
    ReviewService review;

    @Inject
    MatchReport report;

    @GET
    public TemplateInstance queue(@QueryParam("page") int page) {
        return Templates.queue(review.queue(page));
    }

    @GET
    @Path("/{id}")
    public TemplateInstance candidate(@PathParam("id") long id, @QueryParam("message") String message,
            @QueryParam("note") String note) {
        return Templates.candidate(review.view(id), message, note);
    }

    @POST
    @Path("/{id}/verdicts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(@PathParam("id") long id, @RestForm String decision, @RestForm String comment) {
        return guarded(id, () -> review.decide(id, decision, comment), "Your verdict is recorded on the candidate and the case.");
    }

    @POST
    @Path("/{id}/confirmation")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response confirm(@PathParam("id") long id, @RestForm String decision, @RestForm String comment) {
        return guarded(id, () -> review.confirm(id, decision, comment), "Your decision is recorded; both units see it.");
    }

    /** The printable match report (the browser's "Save as PDF" makes the PDF). */
    @GET
    @Path("/{id}/report")
    public String report(@PathParam("id") long id) {
        return report.render(id);
    }

    private Response guarded(long id, Runnable action, String done) {
        try {
            action.run();
            return Response.seeOther(URI.create("/candidates/" + id + "?note=" + enc(done))).build();
        } catch (RuleViolation e) {
            if (e.status() == 404) {
                throw e;
            }
            return Response.seeOther(URI.create("/candidates/" + id + "?message=" + enc(e.getMessage()))).build();
        }
    }
}
