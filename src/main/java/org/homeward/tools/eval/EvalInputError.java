package org.homeward.tools.eval;

/**
 * A manifest, pairs list or option that the evaluation cannot use, with a message that names the file and
 * line: the command prints it on stderr and exits with status 2.
 */
public class EvalInputError extends IllegalArgumentException {

    public EvalInputError(String message) {
        super(message);
    }

    /** "FILE line N: what is wrong". */
    public static EvalInputError at(Object file, int line, String what) {
        return new EvalInputError(file + " line " + line + ": " + what);
    }
}
