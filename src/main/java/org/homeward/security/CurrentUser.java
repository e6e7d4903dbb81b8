package org.homeward.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is making this request: name, roles and agency unit, read from the Keycloak token. */
@RequestScoped
public class CurrentUser {

    /** The token claim that carries the person's agency unit (a Keycloak user attribute). */
    public static final String UNIT_CLAIM = "unit";

    @Inject
    SecurityIdentity identity;

    @Inject
    JsonWebToken token;

    public String username() {
        String preferred = token.getClaim("preferred_username");
        return preferred != null ? preferred : identity.getPrincipal().getName();
    }

    public String displayName() {
        String name = token.getClaim("name");
        return name != null ? name : username();
    }

    public Optional<String> unit() {
        Object unit = token.getClaim(UNIT_CLAIM);
        return unit == null ? Optional.empty() : Optional.of(unit.toString().replace("\"", ""));
    }

    public Set<String> roles() {
        return new TreeSet<>(identity.getRoles());
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    public UserView view() {
        return new UserView(username(), displayName(), unit().orElse(null), roles());
    }
}
