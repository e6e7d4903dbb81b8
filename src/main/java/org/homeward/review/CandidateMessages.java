package org.homeward.review;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.homeward.cases.CaseMessageSubject;
import org.homeward.matching.Candidate;

/** Messages about a candidate (a possible match, a confirmation): they show the candidate's case. */
@ApplicationScoped
public class CandidateMessages extends CaseMessageSubject {

    /** The subject type of messages about a candidate. */
    public static final String SUBJECT = "candidate";

    CandidateMessages() {
        super(SUBJECT, id -> Optional.ofNullable(Candidate.<Candidate>findById(id)).map(c -> c.caseId));
    }
}
