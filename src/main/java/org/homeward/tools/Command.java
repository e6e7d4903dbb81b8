package org.homeward.tools;

import java.util.List;

/** One sub-command of deploy/homeward that runs outside the server: no database, no Keycloak. */
public interface Command {

    /** Runs with the arguments after the command's name; returns the process exit code. */
    int run(List<String> args) throws Exception;

    /** One line for the usage text. */
    String usage();

    /** A setting from the environment, as deploy/lib/common.sh exports it; {@code fallback} when unset or blank. */
    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
