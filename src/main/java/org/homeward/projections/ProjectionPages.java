package org.homeward.projections;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.homeward.audit.AuditTrail;
import org.homeward.cases.CaseDetail;
import org.homeward.cases.CaseService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.homeward.security.Roles;
import org.homeward.web.PrivateImage;

/**
 * The projection images the case page's strip shows, to those who may see the case, and the printable
 * age-progression sheet of a child for a poster.
 */
@Path("/cases/{id}/projections")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
public class ProjectionPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance sheet(CaseDetail c, List<CaseProjections.Strip> strips,
                Instant generatedAt);
    }

    @Inject
    ProjectionImages images;

    @Inject
    CaseService cases;

    @Inject
    CaseProjections projections;

    @Inject
    AuditTrail audit;

    /**
     * The age-progression sheet: the childhood photo and its projections large, each with its age, the "not a
     * photograph" wording and how they were made, laid out to print on a page. Printing one is recorded.
     */
    @GET
    @Path("/sheet")
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance sheet(@PathParam("id") long id) {
        CaseDetail c = cases.view(id);
        audit.record("case.projections.sheet", "case_file", id, null);
        return Templates.sheet(c, projections.strips(c), Instant.now());
    }

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
        return PrivateImage.of(bytes, "image/png");
    }
}
