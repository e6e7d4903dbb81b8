package org.homeward.referrals;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.homeward.cases.CaseMessageSubject;

/** Messages about a referral: they show its case to those who may see it (never the sighting's unit). */
@ApplicationScoped
public class ReferralMessages extends CaseMessageSubject {

    /** The subject type of messages about a referral. */
    public static final String SUBJECT = "referral";

    ReferralMessages() {
        super(SUBJECT, id -> Optional.ofNullable(Referral.<Referral>findById(id)).map(r -> r.caseId));
    }
}
