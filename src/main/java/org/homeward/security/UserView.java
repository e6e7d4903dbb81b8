package org.homeward.security;

import java.util.Set;

/** The signed-in person as the API and the pages show them. */
public record UserView(String username, String name, String unit, Set<String> roles) {
}
