package org.homeward.web;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every broken rule into application/problem+json. */
public class ProblemMapper {

    @Context
    UriInfo uriInfo;

    @ServerExceptionMapper
    public Response map(RuleViolation violation) {
        Problem problem = new Problem("/problems/" + violation.slug(), violation.title(), violation.status(),
                violation.getMessage(), uriInfo.getPath());
        return Response.status(violation.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
