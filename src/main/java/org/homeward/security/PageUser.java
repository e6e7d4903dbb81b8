package org.homeward.security;

import io.quarkus.arc.Arc;
import io.quarkus.qute.TemplateGlobal;

/**
 * {@code {user}} in every page template: the person signed in, for the layout's menu and name and a page's own role
 * checks. A global rather than a parameter of each page, so no page method has to pass it along.
 */
@TemplateGlobal
public final class PageUser {

    private PageUser() {
    }

    /** Looked up per rendering: the signed-in person is request-scoped, a template global is not. */
    static UserView user() {
        return Arc.container().instance(CurrentUser.class).get().view();
    }
}
