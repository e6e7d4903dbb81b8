package org.homeward.inbox;

import java.util.Optional;

/**
 * What a feature that posts messages about its subjects tells the inbox: which case a subject concerns, shown to
 * the reader only when they may see that case (a referral's sighting unit never learns the case from its inbox).
 * The inbox knows no feature's entities; each feature answers for its own subject type.
 */
public interface MessageSubject {

    /** The subject type this feature posts messages about, as given to {@link Inbox#toUnit} and {@link Inbox#toPeople}. */
    String type();

    /** The subject's case as the reader may see it; empty when there is none or the reader may not see it. */
    Optional<Inbox.CaseShown> caseOf(long subjectId);
}
