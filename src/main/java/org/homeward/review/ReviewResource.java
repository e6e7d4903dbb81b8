package org.homeward.review;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.homeward.matching.CandidateView;
import org.homeward.security.Roles;

/** Review API: a candidate's evidence, verdicts, a supervisor's confirmation, and the review queue. */
@Path("/api/candidates")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReviewResource {

    /** A verdict or a supervisor's decision, always with a comment. */
    public record Decision(String decision, String comment) {
    }

    @Inject
    ReviewService review;

    @Inject
    MatchReport report;

    /** The match report as HTML, for a provisional or confirmed candidate; audited. */
    @GET
    @Path("/{id}/report")
    @Produces(MediaType.TEXT_HTML)
    public String report(@PathParam("id") long id) {
        return report.render(id);
    }

    /** Candidates awaiting the caller: unreviewed ones, and possible matches they may confirm; one page (page 0 first). */
    @GET
    public List<CandidateView> queue(@QueryParam("page") int page) {
        return review.queue(page).items();
    }

    @GET
    @Path("/{id}")
    public CandidateDetail get(@PathParam("id") long id) {
        return review.view(id);
    }

    @POST
    @Path("/{id}/verdicts")
    public CandidateDetail decide(@PathParam("id") long id, Decision body) {
        return review.decide(id, body == null ? null : body.decision(), body == null ? null : body.comment());
    }

    @POST
    @Path("/{id}/confirmation")
    public CandidateDetail confirm(@PathParam("id") long id, Decision body) {
        return review.confirm(id, body == null ? null : body.decision(), body == null ? null : body.comment());
    }
}
