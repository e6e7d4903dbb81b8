package org.homeward.referrals;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.homeward.sightings.SightingPageSection;

/**
 * Where a sighting's candidates on other units' cases stand, on the sighting's page: a banner once the case's unit
 * confirmed one, the table of referrals, and each referred candidate's row showing its referral's state.
 */
@ApplicationScoped
public class ReferralsOnSightingPage implements SightingPageSection {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance confirmed(List<ReferralView> referrals);

        static native TemplateInstance table(List<ReferralView> referrals);
    }

    @Inject
    ReferralService referrals;

    @Override
    public String render(Place place, long sightingId) {
        List<ReferralView> seen = referrals.ofSighting(sightingId);
        if (seen.isEmpty()) {
            return "";
        }
        return switch (place) {
            case SUMMARY -> seen.stream().anyMatch(r -> r.state() == ReferralState.confirmed)
                    ? Templates.confirmed(seen).render() : "";
            case AFTER_SUMMARY -> Templates.table(seen).render();
        };
    }

    @Override
    public Optional<Badge> badge(long candidateId) {
        return Optional.ofNullable(referrals.stateOf(candidateId)).map(r -> new Badge("referral-" + r.state(), r.stateLabel(),
                "Referred to unit " + r.toUnit() + ", which holds the case"));
    }
}
