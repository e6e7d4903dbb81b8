package org.homeward.inbox;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.homeward.security.Roles;

/** The inbox page: messages to the person and their unit, newest first, unread ones marked. */
@Path("/inbox")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
@Produces(MediaType.TEXT_HTML)
public class InboxPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance inbox(List<Inbox.Message> messages, long unread);
    }

    @Inject
    Inbox inbox;

    @GET
    public TemplateInstance inbox() {
        return Templates.inbox(inbox.mine(200), inbox.unreadCount());
    }

    /** Opens a message: marks it read and goes where it points. */
    @GET
    @Path("/{id}")
    public Response open(@PathParam("id") long id) {
        return inbox.open(id).map(link -> Response.seeOther(URI.create(link)).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND).build());
    }

    @POST
    @Path("/read")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response markAllRead() {
        inbox.markAllRead();
        return Response.seeOther(URI.create("/inbox")).build();
    }
}
