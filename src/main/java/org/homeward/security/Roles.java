package org.homeward.security;

/** The realm roles Homeward knows; Keycloak's realm `homeward` defines the same names. */
public final class Roles {
    public static final String INVESTIGATOR = "investigator";
    public static final String SUPERVISOR = "supervisor";
    public static final String AUDITOR = "auditor";
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
