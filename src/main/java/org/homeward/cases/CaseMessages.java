package org.homeward.cases;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Messages about a case (an assignment). */
@ApplicationScoped
public class CaseMessages extends CaseMessageSubject {

    /** The subject type of messages about a case. */
    public static final String SUBJECT = "case_file";

    CaseMessages() {
        super(SUBJECT, Optional::of);
    }
}
