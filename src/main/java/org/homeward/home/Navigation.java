package org.homeward.home;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import org.homeward.inbox.Inbox;
import org.homeward.security.CurrentUser;
import org.homeward.security.Roles;

/** The top bar's state for the page being drawn: which section is current, and how many messages are unread. */
@Named("nav")
@RequestScoped
public class Navigation {

    /** The top bar's sections; a page belongs to the longest one its path starts with. */
    static final List<String> SECTIONS = List.of("/cases", "/cases/new", "/sightings", "/candidates", "/referrals",
            "/inbox", "/audit", "/admin/index");

    @Inject
    HttpServerRequest request;

    @Inject
    CurrentUser currentUser;

    @Inject
    Inbox inbox;

    private Long unread;

    /** {@code aria-current="page"} on the section this page belongs to. */
    public boolean isCurrent(String href) {
        return href.equals(section(request.path()));
    }

    static String section(String path) {
        String found = "/".equals(path) ? "/" : null;
        for (String s : SECTIONS) {
            if ((path.equals(s) || path.startsWith(s + "/")) && (found == null || s.length() > found.length())) {
                found = s;
            }
        }
        return found;
    }

    /** Unread messages in the caller's inbox (0 for those who have none: auditors). */
    public long unread() {
        if (unread == null) {
            boolean hasInbox = currentUser.hasRole(Roles.INVESTIGATOR) || currentUser.hasRole(Roles.SUPERVISOR)
                    || currentUser.hasRole(Roles.ADMIN);
            unread = hasInbox ? inbox.unreadCount() : 0L;
        }
        return unread;
    }
}
