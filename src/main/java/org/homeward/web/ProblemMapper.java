package org.homeward.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every broken rule into application/problem+json for API clients and a readable page for browsers. */
public class ProblemMapper {

    @Context
    UriInfo uriInfo;

    @CheckedTemplate(basePath = "", defaultName = CheckedTemplate.ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance error(String title, String detail);
    }

    @ServerExceptionMapper
    public Response map(RuleViolation violation, HttpHeaders headers) {
        if (wantsPage(headers)) {
            return Response.status(violation.status()).type(MediaType.TEXT_HTML)
                    .entity(Templates.error(violation.title(), violation.getMessage())).build();
        }
        Problem problem = new Problem("/problems/" + violation.slug(), violation.title(), violation.status(),
                violation.getMessage(), uriInfo.getPath(), violation.fieldErrors());
        return Response.status(violation.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** A body that is not the JSON the endpoint expects (bad date, wrong type, broken syntax). */
    @ServerExceptionMapper({JsonProcessingException.class,
            MismatchedInputException.class,
            InvalidFormatException.class,
            JsonParseException.class})
    public Response map(JsonProcessingException e) {
        String detail = e.getOriginalMessage() == null ? "The request body is not valid JSON." : e.getOriginalMessage();
        Problem problem = new Problem("/problems/malformed-request", "Malformed request", 400,
                detail.lines().findFirst().orElse(detail), uriInfo.getPath(), null);
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /**
     * The database cannot be reached (stopped, restarting, the network between): 503 with Retry-After, a problem for
     * the API and a readable page for people, never a 500. The transaction was rolled back, so nothing was half-stored.
     */
    @ServerExceptionMapper({org.hibernate.exception.JDBCConnectionException.class,
            SQLTransientConnectionException.class, SQLNonTransientConnectionException.class})
    public Response databaseUnavailable(Exception e, HttpHeaders headers) {
        String title = "Database unavailable";
        String detail = "Homeward cannot reach its database just now, so nothing was read or changed. Try again in a"
                + " minute; tell your administrator if it lasts.";
        Response.ResponseBuilder response = Response.status(503).header("Retry-After", "30");
        if (wantsPage(headers)) {
            return response.type(MediaType.TEXT_HTML).entity(Templates.error(title, detail)).build();
        }
        return response.type(Problem.MEDIA_TYPE).entity(new Problem("/problems/database-unavailable", title, 503, detail,
                uriInfo.getPath(), null)).build();
    }

    /** Pages are everything outside /api that a browser asked for as HTML. */
    private boolean wantsPage(HttpHeaders headers) {
        String path = uriInfo.getPath();
        return !path.startsWith("/api") && headers.getAcceptableMediaTypes().stream()
                .anyMatch(t -> t.isCompatible(MediaType.TEXT_HTML_TYPE) && !t.isWildcardType());
    }
}
