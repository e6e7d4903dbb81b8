package org.homeward.audit;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.homeward.security.Roles;

/** The audit trail API, for auditors. */
@Path("/api/audit")
@RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    @Inject
    ChainVerifier verifier;

    @GET
    @Path("/verification")
    public ChainVerification verify() {
        return verifier.verify();
    }
}
