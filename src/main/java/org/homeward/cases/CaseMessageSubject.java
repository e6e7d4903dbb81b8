package org.homeward.cases;

import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.LongFunction;
import org.homeward.inbox.Inbox;
import org.homeward.inbox.MessageSubject;

/**
 * A message subject that belongs to a case (the case itself, a candidate, a referral): the inbox shows that case
 * to a reader who may see it, by the case's own rule ({@link CaseService#summaryIfVisible}).
 */
public abstract class CaseMessageSubject implements MessageSubject {

    private final String type;
    private final LongFunction<Optional<Long>> caseIdOf;

    @Inject
    CaseService cases;

    /** {@code caseIdOf}: the case a subject belongs to, if the subject still exists. */
    protected CaseMessageSubject(String type, LongFunction<Optional<Long>> caseIdOf) {
        this.type = type;
        this.caseIdOf = caseIdOf;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Optional<Inbox.CaseShown> caseOf(long subjectId) {
        return caseIdOf.apply(subjectId).flatMap(cases::summaryIfVisible)
                .map(c -> new Inbox.CaseShown(c.id(), c.reference(), c.childName()));
    }
}
