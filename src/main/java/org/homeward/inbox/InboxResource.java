package org.homeward.inbox;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.homeward.security.Roles;

/** The caller's inbox. */
@Path("/api/inbox")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class InboxResource {

    @Inject
    Inbox inbox;

    @GET
    public List<Inbox.Message> messages() {
        return inbox.mine(100);
    }
}
