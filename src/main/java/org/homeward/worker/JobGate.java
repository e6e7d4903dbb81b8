package org.homeward.worker;

/**
 * A condition the worker needs before it takes any job (the models' self-test, for one): while a gate is
 * closed the worker claims nothing, so no job is computed by something that is not trusted.
 */
public interface JobGate {

    boolean open();

    /** Why the gate is closed, for the log. */
    String reason();
}
