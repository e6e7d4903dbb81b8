package org.homeward.referrals;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.homeward.security.Roles;

/** Referrals API: those to and from the caller's unit, one with its history, and sharing the case's details. */
@Path("/api/referrals")
@RolesAllowed({Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class ReferralResource {

    @Inject
    ReferralService referrals;

    @GET
    public List<ReferralView> list() {
        return referrals.mine();
    }

    @GET
    @Path("/{id}")
    public ReferralView get(@PathParam("id") long id) {
        return referrals.get(id);
    }

    /** The case's unit shows the sighting's unit the case's reference and the child's name. */
    @POST
    @Path("/{id}/sharing")
    public ReferralView share(@PathParam("id") long id) {
        return referrals.share(id);
    }
}
