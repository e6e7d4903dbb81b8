package org.homeward.security;

import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import org.homeward.web.RuleViolation;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * Every request that changes something through a page (outside /api) must be a form (URL-encoded or
 * multipart) from Homeward's own pages, carrying the token signed for this browser and user. /api takes
 * bearer tokens only, which a browser never sends on its own, so it is not checked here.
 */
public class CsrfFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    /** What browsers send as Sec-Fetch-Site for a request a page of this very origin made, or a person typed. */
    private static final Set<String> OWN_SITE = Set.of("same-origin", "none");

    @Inject
    CsrfTokens tokens;

    @Inject
    CurrentUser currentUser;

    @ServerRequestFilter
    @WithFormRead
    public void check(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        String path = routing.normalizedPath();
        if (path.equals("/api") || path.startsWith("/api/")) {
            return;
        }
        if (SAFE.contains(request.getMethod())) {
            tokens.nonce(routing);
            return;
        }
        String site = request.getHeaderString("Sec-Fetch-Site");
        if (site != null && !OWN_SITE.contains(site)) {
            throw new CrossSiteRequest(site);
        }
        MediaType type = request.getMediaType();
        if (!isForm(type)) {
            throw new FormRequired(type);
        }
        Object field = ((ResteasyReactiveRequestContext) request.getServerRequestContext())
                .getFormParameter(CsrfTokens.FIELD, true, false);
        String nonce = tokens.presented(routing);
        if (!(field instanceof String token) || !tokens.matches(token, nonce, currentUser.username())) {
            throw new FormTokenInvalid();
        }
        tokens.nonce(routing);
    }

    private static boolean isForm(MediaType type) {
        return type != null && (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE)) && !type.isWildcardType()
                && !type.isWildcardSubtype();
    }

    /** A change sent from another site (another port or subdomain counts): refused before anything else. */
    public static class CrossSiteRequest extends RuleViolation {
        CrossSiteRequest(String site) {
            super(403, "cross-site-request", "Cross-site request refused",
                    "This change came from another site (" + site + "), not from a Homeward page.");
        }
    }

    /** A change to a page route that is not a form: a script or another site's request, never a Homeward page. */
    public static class FormRequired extends RuleViolation {
        FormRequired(MediaType type) {
            super(415, "form-required", "Form required", "Pages accept changes as forms only, not "
                    + (type == null ? "a request without a body type" : type.getType() + "/" + type.getSubtype()) + ".");
        }
    }

    /** The form's token is missing, or was not made for this browser and person. */
    public static class FormTokenInvalid extends RuleViolation {
        FormTokenInvalid() {
            super(403, "form-token-invalid", "Form expired",
                    "This form has expired or did not come from your Homeward page. "
                    + "Reload the page and try again.");
        }
    }
}
