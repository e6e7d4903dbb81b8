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
                violation.getMessage(), uriInfo.getPath(), violation.fieldErrors());
        return Response.status(violation.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** A body that is not the JSON the endpoint expects (bad date, wrong type, broken syntax). */
    @ServerExceptionMapper({com.fasterxml.jackson.core.JsonProcessingException.class,
            com.fasterxml.jackson.databind.exc.MismatchedInputException.class,
            com.fasterxml.jackson.databind.exc.InvalidFormatException.class,
            com.fasterxml.jackson.core.JsonParseException.class})
    public Response map(com.fasterxml.jackson.core.JsonProcessingException e) {
        String detail = e.getOriginalMessage() == null ? "The request body is not valid JSON." : e.getOriginalMessage();
        Problem problem = new Problem("/problems/malformed-request", "Malformed request", 400,
                detail.lines().findFirst().orElse(detail), uriInfo.getPath(), null);
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
